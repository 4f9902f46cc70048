<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>commands</name>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>Copy of {ref} printed.</source>
      <translation>Copia de {ref} impresa.</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>No API key configured: set OCOTE_API_KEY (and OCOTE_API_URL for a sandbox).</source>
      <translation>No hay clave de API configurada: defina OCOTE_API_KEY (y OCOTE_API_URL para un sandbox).</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>No printer configured: pass --printer URL or set CAJA_PRINTER.</source>
      <translation>No hay impresora configurada: use --printer URL o defina CAJA_PRINTER.</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>No sales found.</source>
      <translation>No se encontraron ventas.</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>Print a copy (marked COPIA) of a past ticket. Nothing is sent to Ocote but, when the ticket is not kept locally, its download.</source>
      <translation>Imprime una copia (marcada COPIA) de un ticket anterior. No se envía nada a Ocote; solo se descarga el ticket si no está guardado en este equipo.</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>Refresh the documents that are not final yet and report the day's totals by state and payment method.</source>
      <translation>Actualiza los documentos que aún no son definitivos e informa los totales del día por estado y forma de pago.</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>Search past sales, newest first.</source>
      <translation>Busca ventas anteriores, de la más reciente a la más antigua.</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>Void an issued document at Ocote. This cannot be undone.</source>
      <translation>Anula en Ocote un documento emitido. No se puede deshacer.</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>also write the documents to a CSV file</source>
      <translation>guardar además los documentos en un archivo CSV</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>at most this many results (default 50)</source>
      <translation>como máximo esta cantidad de resultados (50 por defecto)</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>business day (default: today)</source>
      <translation>día hábil (por defecto: hoy)</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>caja: voiding cannot be undone; repeat the command with --yes to confirm.</source>
      <translation>caja: una anulación no se puede deshacer; repita el comando con --yes para confirmarla.</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>confirm the void</source>
      <translation>confirmar la anulación</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>control number (whole or its final digits)</source>
      <translation>número de control (completo o sus últimos dígitos)</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>customer name (part of it), NIT or DUI</source>
      <translation>nombre del cliente (o parte de él), NIT o DUI</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>end of day: refresh pending documents and report</source>
      <translation>cierre del día: actualizar documentos pendientes e informe</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>external reference (whole or its beginning)</source>
      <translation>referencia externa (completa o su inicio)</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>external reference, control number or document id</source>
      <translation>referencia externa, número de control o id del documento</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>first business day</source>
      <translation>primer día hábil</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>last business day</source>
      <translation>último día hábil</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>not a date (YYYY-MM-DD): {text}</source>
      <translation>no es una fecha (AAAA-MM-DD): {text}</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>not an amount: {text}</source>
      <translation>no es un monto: {text}</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>only this register (e.g. M001P001)</source>
      <translation>solo esta caja (p. ej. M001P001)</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>print JSON</source>
      <translation>mostrar JSON</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>print a copy of a past ticket</source>
      <translation>imprimir una copia de un ticket anterior</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>print the report</source>
      <translation>imprimir el informe</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>print the report as JSON</source>
      <translation>mostrar el informe en JSON</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>printer connection URL (default: the configured printer)</source>
      <translation>URL de conexión de la impresora (por defecto: la impresora configurada)</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>refresh every document, not only the pending ones</source>
      <translation>actualizar todos los documentos, no solo los pendientes</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>register (default: the configured branch and register)</source>
      <translation>caja (por defecto: la sucursal y caja configuradas)</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>search past sales</source>
      <translation>buscar ventas anteriores</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>total amount, exact (10.17) or a range (5..20)</source>
      <translation>monto total, exacto (10.17) o un rango (5..20)</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>void (invalidate) an issued document</source>
      <translation>anular (invalidar) un documento emitido</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>why the document is voided (kept in the journal)</source>
      <translation>motivo de la anulación (queda en el registro)</translation>
    </message>
  </context>
</TS>
