<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>commands</name>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>Caja {version} doctor</source>
      <translation>Diagnóstico de Caja {version}</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>Check this till: settings, API key, connection to Ocote, printer, keyring, journal and folders.</source>
      <translation>Revisa esta caja: configuración, clave de API, conexión con Ocote, impresora, llavero, diario y carpetas.</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>FAIL</source>
      <translation>FALLA</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>OK</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>WARNING</source>
      <translation>AVISO</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>an issued document (id or external reference): tells whether the key issues test or production documents</source>
      <translation>un documento emitido (id o referencia externa): indica si la clave emite documentos de prueba o de producción</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>check configuration, API key, printer and journal</source>
      <translation>revisar la configuración, la clave de API, la impresora y el diario</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>how long to wait for the API and the printer (default 5)</source>
      <translation>cuánto esperar a la API y a la impresora (predeterminado: 5)</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>print the results as JSON</source>
      <translation>mostrar los resultados como JSON</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>{ok} OK, {warn} warning(s), {fail} failure(s).</source>
      <translation>{ok} OK, {warn} aviso(s), {fail} falla(s).</translation>
    </message>
  </context>
</TS>
