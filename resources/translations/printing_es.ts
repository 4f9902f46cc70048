<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>printing</name>
    <message>
      <location filename="../../app/printing/profiles.py" />
      <source>Bixolon SRP-S300 (640 dots)</source>
      <translation>Bixolon SRP-S300 (640 puntos)</translation>
    </message>
    <message>
      <location filename="../../app/printing/profiles.py" />
      <source>Epson TM-T20III</source>
      <translation>Epson TM-T20III</translation>
    </message>
    <message>
      <location filename="../../app/printing/profiles.py" />
      <source>Epson TM-T88 (IV, V, VI, VII)</source>
      <translation>Epson TM-T88 (IV, V, VI, VII)</translation>
    </message>
    <message>
      <location filename="../../app/printing/profiles.py" />
      <source>Epson TM-m30III</source>
      <translation>Epson TM-m30III</translation>
    </message>
    <message>
      <location filename="../../app/printing/profiles.py" />
      <source>Generic 58 mm (384 dots)</source>
      <translation>Genérica 58 mm (384 puntos)</translation>
    </message>
    <message>
      <location filename="../../app/printing/profiles.py" />
      <source>Generic 80 mm (576 dots)</source>
      <translation>Genérica 80 mm (576 puntos)</translation>
    </message>
    <message>
      <location filename="../../app/printing/raster.py" />
      <source>The image has nothing to print.</source>
      <translation>La imagen no tiene nada que imprimir.</translation>
    </message>
    <message>
      <location filename="../../app/printing/raster.py" />
      <source>The ticket PDF cannot be rendered; it may be damaged.</source>
      <translation>No se puede procesar el PDF del ticket; puede estar dañado.</translation>
    </message>
    <message>
      <location filename="../../app/printing/raster.py" />
      <source>The ticket PDF has a page without size.</source>
      <translation>El PDF del ticket tiene una página sin tamaño.</translation>
    </message>
    <message>
      <location filename="../../app/printing/raster.py" />
      <source>The ticket PDF has no pages.</source>
      <translation>El PDF del ticket no tiene páginas.</translation>
    </message>
    <message>
      <location filename="../../app/printing/raster.py" />
      <source>The ticket PDF has nothing to print.</source>
      <translation>El PDF del ticket no tiene nada que imprimir.</translation>
    </message>
    <message>
      <location filename="../../app/printing/raster.py" />
      <source>The ticket PDF is damaged or incomplete.</source>
      <translation>El PDF del ticket está dañado o incompleto.</translation>
    </message>
    <message>
      <location filename="../../app/printing/raster.py" />
      <source>The ticket PDF is empty.</source>
      <translation>El PDF del ticket está vacío.</translation>
    </message>
    <message>
      <location filename="../../app/printing/raster.py" />
      <source>The ticket PDF is password protected.</source>
      <translation>El PDF del ticket está protegido con contraseña.</translation>
    </message>
    <message>
      <location filename="../../app/printing/raster.py" />
      <source>The ticket is not a readable PDF.</source>
      <translation>El ticket no es un PDF legible.</translation>
    </message>
    <message>
      <location filename="../../app/printing/profiles.py" />
      <source>Unknown printer profile {name}. Known profiles: {known}.</source>
      <translation>Perfil de impresora desconocido: {name}. Perfiles disponibles: {known}.</translation>
    </message>
  </context>
</TS>
