<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>app</name>
    <message>
      <location filename="../../app/cli.py" />
      <source>Caja point of sale</source>
      <translation>Punto de venta Caja</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>log debug messages to stderr</source>
      <translation>registrar mensajes de depuración en stderr</translation>
    </message>
  </context>
</TS>
