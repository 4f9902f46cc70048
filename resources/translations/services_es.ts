<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>services</name>
    <message>
      <location filename="../../app/services/settings_service.py" />
      <source>API URL</source>
      <translation>URL de la API</translation>
    </message>
    <message>
      <location filename="../../app/services/settings_service.py" />
      <source>Branch code</source>
      <translation>Código de establecimiento</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>By payment method</source>
      <translation>Por forma de pago</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>Cannot read the catalog file {file}: {error}</source>
      <translation>No se puede leer el archivo de catálogo {file}: {error}</translation>
    </message>
    <message>
      <location filename="../../app/services/settings_service.py" />
      <source>Check these fields: {fields}</source>
      <translation>Revise estos campos: {fields}</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Checking sale {ref} with Ocote…</source>
      <translation>Consultando la venta {ref} en Ocote…</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Checking the sale…</source>
      <translation>Revisando la venta…</translation>
    </message>
    <message>
      <location filename="../../app/services/eod.py" />
      <source>Checking {ref}</source>
      <translation>Consultando {ref}</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Collected (includes pending to send)</source>
      <translation>Cobrado (incluye pendientes de enviar)</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Day: {day}</source>
      <translation>Día: {day}</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Discounts</source>
      <translation>Descuentos</translation>
    </message>
    <message>
      <location filename="../../app/services/eod.py" />
      <source>Documents checked</source>
      <translation>Documentos consultados</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Downloading the ticket…</source>
      <translation>Descargando el ticket…</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>END OF DAY</source>
      <translation>CIERRE DEL DÍA</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Gross</source>
      <translation>Total</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Hacienda rejected the invoice. Correct the sale and charge it again.</source>
      <translation>Hacienda rechazó la factura. Corrija la venta y cóbrela de nuevo.</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>In contingency</source>
      <translation>En contingencia</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Invalid (not issued)</source>
      <translation>Inválida (no emitida)</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Invoice {control} issued in contingency: Hacienda has not confirmed it yet; it will be checked at the end of the day.</source>
      <translation>Factura {control} emitida en contingencia: Hacienda aún no la ha confirmado; se verificará en el cierre del día.</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Invoice {control} issued.</source>
      <translation>Factura {control} emitida.</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Invoice {control} was issued, but the sales journal could not save everything ({error}). Do not charge this sale again.</source>
      <translation>La factura {control} se emitió, pero el registro de ventas no pudo guardarlo todo ({error}). No vuelva a cobrar esta venta.</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Invoice {control} was issued, but the ticket was not printed: {error}</source>
      <translation>La factura {control} fue emitida, pero el ticket no se imprimió: {error}</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Issued</source>
      <translation>Emitida</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>Line {line}: {problem}</source>
      <translation>Línea {line}: {problem}</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Needing action ({n})</source>
      <translation>Requieren atención ({n})</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>No printer is configured.</source>
      <translation>No hay ninguna impresora configurada.</translation>
    </message>
    <message>
      <location filename="../../app/services/reprint.py" />
      <source>No sale with reference, control number or document id {key} in the journal.</source>
      <translation>No hay ninguna venta con referencia, número de control o id de documento {key} en el registro.</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>No sales this day.</source>
      <translation>No hubo ventas este día.</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Not refreshed ({n})</source>
      <translation>Sin actualizar ({n})</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Ocote already has invoices with this register's next references; check the branch and register codes in the settings.</source>
      <translation>Ocote ya tiene facturas con las siguientes referencias de esta caja; revise los códigos de sucursal y de caja en la configuración.</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Ocote did not answer. Sale {ref} is saved and will be sent again automatically; do not charge it again.</source>
      <translation>Ocote no respondió. La venta {ref} quedó guardada y se enviará de nuevo automáticamente; no la cobre otra vez.</translation>
    </message>
    <message>
      <location filename="../../app/services/void.py" />
      <source>Ocote does not know the document {ref}; it cannot be voided.</source>
      <translation>Ocote no conoce el documento {ref}; no se puede anular.</translation>
    </message>
    <message>
      <location filename="../../app/services/container.py" />
      <location filename="../../app/services/reprint.py" />
      <source>Ocote is not configured: this needs a connection to Ocote.</source>
      <translation>Ocote no está configurado: esto requiere conexión con Ocote.</translation>
    </message>
    <message>
      <location filename="../../app/services/void.py" />
      <source>Ocote refused to void this document: {detail}. Documents of type 01 can only be voided within 90 business days of their issue, and not once they have been replaced or voided by another document.</source>
      <translation>Ocote no permitió anular este documento: {detail}. Los documentos de tipo 01 solo se pueden anular dentro de los 90 días hábiles siguientes a su emisión, y no si ya fueron sustituidos o anulados por otro documento.</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Offline: {n} documents not checked</source>
      <translation>Sin conexión: {n} documento(s) sin verificar</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Original ticket not printed</source>
      <translation>Ticket original sin imprimir</translation>
    </message>
    <message>
      <location filename="../../app/services/reprint.py" />
      <source>Past sales cannot be searched: {error}</source>
      <translation>No se pueden buscar las ventas anteriores: {error}</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Pending to send ({n})</source>
      <translation>Pendientes de enviar ({n})</translation>
    </message>
    <message>
      <location filename="../../app/services/eod.py" />
      <source>Preparing the report</source>
      <translation>Preparando el informe</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Printed: {when}</source>
      <translation>Impreso: {when}</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Printing the ticket…</source>
      <translation>Imprimiendo el ticket…</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Queued (not synced)</source>
      <translation>En cola (sin sincronizar)</translation>
    </message>
    <message>
      <location filename="../../app/services/settings_service.py" />
      <source>Register code</source>
      <translation>Código de punto de venta</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Register: {register}</source>
      <translation>Caja: {register}</translation>
    </message>
    <message>
      <location filename="../../app/services/eod.py" />
      <source>Registered at Ocote but not finished here: run caja sync to print its ticket.</source>
      <translation>Registrado en Ocote pero no terminado en esta caja: ejecute caja sync para imprimir su ticket.</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Rejected by MH</source>
      <translation>Rechazada por MH</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Reprints ({n})</source>
      <translation>Reimpresiones ({n})</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Sale {ref} cannot be changed: it is {state}</source>
      <translation>La venta {ref} no se puede modificar: su estado es {state}</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Sale {ref} has no issued invoice to print</source>
      <translation>La venta {ref} no tiene una factura emitida que imprimir</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Sale {ref} was voided</source>
      <translation>La venta {ref} fue anulada</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Sales</source>
      <translation>Ventas</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Sales by state</source>
      <translation>Ventas por estado</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Saving the sale…</source>
      <translation>Guardando la venta…</translation>
    </message>
    <message>
      <location filename="../../app/services/void.py" />
      <source>Say why the document is voided.</source>
      <translation>Indique el motivo de la anulación.</translation>
    </message>
    <message>
      <location filename="../../app/services/outbox.py" />
      <source>Sending pending sale {n} of {total}…</source>
      <translation>Enviando la venta pendiente {n} de {total}…</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>Sending the invoice to Ocote…</source>
      <translation>Enviando la factura a Ocote…</translation>
    </message>
    <message>
      <location filename="../../app/services/settings_service.py" />
      <source>The API key must be “odt_” followed by 56 lowercase hexadecimal characters.</source>
      <translation>La clave de API debe ser “odt_” seguida de 56 caracteres hexadecimales en minúscula.</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>The catalog file {file} cannot be read as CSV (line {line}).</source>
      <translation>El archivo de catálogo {file} no se puede leer como CSV (línea {line}).</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>The catalog file {file} is empty</source>
      <translation>El archivo de catálogo {file} está vacío</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>The catalog file {file} is not a CSV text file; save it from the spreadsheet as “CSV”.</source>
      <translation>El archivo de catálogo {file} no es un archivo de texto CSV; guárdelo desde la hoja de cálculo como “CSV”.</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_actions.py" />
      <source>The file could not be saved: {reason}</source>
      <translation>No se pudo guardar el archivo: {reason}</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>The header row has no column for: {columns}</source>
      <translation>La fila de encabezados no tiene columna para: {columns}</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>The printer failed unexpectedly ({error}); see the log.</source>
      <translation>La impresora falló de forma inesperada ({error}); revise el registro.</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>The sale is already being processed; wait a moment.</source>
      <translation>La venta ya se está procesando; espere un momento.</translation>
    </message>
    <message>
      <location filename="../../app/services/checkout.py" />
      <source>The ticket could not be downloaded: {error}</source>
      <translation>No se pudo descargar el ticket: {error}</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Totals (issued, not voided)</source>
      <translation>Totales (emitidas, sin anuladas)</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>VAT</source>
      <translation>IVA</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Voided</source>
      <translation>Anulada</translation>
    </message>
    <message>
      <location filename="../../app/services/eod_report.py" />
      <source>Voids ({n})</source>
      <translation>Anulaciones ({n})</translation>
    </message>
    <message>
      <location filename="../../app/services/void.py" />
      <source>no reason given</source>
      <translation>sin motivo indicado</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>the barcode {barcode} already belongs to product {code}</source>
      <translation>el código de barras {barcode} ya pertenece al producto {code}</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>the barcode “{value}” is not valid</source>
      <translation>el código de barras «{value}» no es válido</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>the code can have at most {max} characters</source>
      <translation>el código puede tener como máximo {max} caracteres</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>the code is missing</source>
      <translation>falta el código</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>the description can have at most {max} characters</source>
      <translation>la descripción puede tener como máximo {max} caracteres</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>the description is missing</source>
      <translation>falta la descripción</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>the price is missing</source>
      <translation>falta el precio</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>the price must be greater than zero</source>
      <translation>el precio debe ser mayor que cero</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>the price “{value}” has more than two decimals</source>
      <translation>el precio «{value}» tiene más de dos decimales</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>the price “{value}” is not a number</source>
      <translation>el precio «{value}» no es un número</translation>
    </message>
    <message>
      <location filename="../../app/services/catalog.py" />
      <source>{new} new products, {updated} updated, {same} unchanged, {bad} rows with errors</source>
      <translation>{new} productos nuevos, {updated} actualizados, {same} sin cambios, {bad} filas con errores</translation>
    </message>
    <message>
      <location filename="../../app/services/reprint.py" />
      <source>{ref} has no issued document to copy (it is {state}).</source>
      <translation>{ref} no tiene un documento emitido para copiar (estado: {state}).</translation>
    </message>
    <message>
      <location filename="../../app/services/void.py" />
      <source>{ref} has no issued document to void (it is {state}).</source>
      <translation>{ref} no tiene un documento emitido que anular (estado: {state}).</translation>
    </message>
    <message>
      <location filename="../../app/services/void.py" />
      <source>{ref} is voided.</source>
      <translation>{ref} quedó anulado.</translation>
    </message>
    <message>
      <location filename="../../app/services/void.py" />
      <source>{ref} was already voided.</source>
      <translation>{ref} ya estaba anulado.</translation>
    </message>
    <message>
      <location filename="../../app/services/reprint.py" />
      <source>{ref} was voided: no copy of its ticket can be printed.</source>
      <translation>{ref} fue anulado: no se puede imprimir una copia de su ticket.</translation>
    </message>
  </context>
</TS>
