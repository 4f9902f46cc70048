<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>sandbox</name>
    <message>
      <location filename="../../app/sandbox/cli.py" />
      <source>Cannot listen on {host}:{port}: {error}</source>
      <translation>No se puede escuchar en {host}:{port}: {error}</translation>
    </message>
    <message>
      <location filename="../../app/sandbox/cli.py" />
      <source>Ocote sandbox listening at {url}</source>
      <translation>Sandbox de Ocote escuchando en {url}</translation>
    </message>
    <message>
      <location filename="../../app/sandbox/cli.py" />
      <source>Press Ctrl+C to stop.</source>
      <translation>Presione Ctrl+C para detenerlo.</translation>
    </message>
    <message>
      <location filename="../../app/sandbox/cli.py" />
      <source>Sandbox stopped.</source>
      <translation>Sandbox detenido.</translation>
    </message>
    <message>
      <location filename="../../app/sandbox/cli.py" />
      <source>Serve an Ocote-compatible API for training, demos and tests. Any key of the form odt_ followed by 56 lowercase hex digits is accepted.</source>
      <translation>Sirve una API compatible con Ocote para capacitación, demostraciones y pruebas. Acepta cualquier clave de la forma odt_ seguida de 56 dígitos hexadecimales en minúscula.</translation>
    </message>
    <message>
      <location filename="../../app/sandbox/cli.py" />
      <source>TCP port, 0 for any free port (default: %(default)s)</source>
      <translation>puerto TCP, 0 para cualquier puerto libre (predeterminado: %(default)s)</translation>
    </message>
    <message>
      <location filename="../../app/sandbox/cli.py" />
      <source>address to listen on (default: %(default)s)</source>
      <translation>dirección en la que escucha (predeterminada: %(default)s)</translation>
    </message>
    <message>
      <location filename="../../app/sandbox/cli.py" />
      <source>keep the documents in FILE so that they survive a restart (default: in memory only)</source>
      <translation>guardar los documentos en FILE para que se conserven al reiniciar (predeterminado: solo en memoria)</translation>
    </message>
    <message>
      <location filename="../../app/sandbox/cli.py" />
      <source>run the local Ocote-compatible test server</source>
      <translation>ejecutar el servidor local de pruebas compatible con Ocote</translation>
    </message>
    <message>
      <location filename="../../app/sandbox/cli.py" />
      <source>seconds before a contingency document is stamped (default: %(default)s)</source>
      <translation>segundos antes de que un documento en contingencia reciba el sello (predeterminado: %(default)s)</translation>
    </message>
  </context>
</TS>
