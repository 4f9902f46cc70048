<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>commands</name>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>At Ocote: {state}, DTE state “{dte}”, stamp {stamp}</source>
      <translation>En Ocote: {state}, estado del DTE «{dte}», sello {stamp}</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>Caja {version} doctor</source>
      <translation>Diagnóstico de Caja {version}</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>Cannot read {file}: {reason}</source>
      <translation>No se puede leer {file}: {reason}</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>Check this till: settings, API key, connection to Ocote, printer, keyring, journal and folders.</source>
      <translation>Revisa esta caja: configuración, clave de API, conexión con Ocote, impresora, llavero, diario y carpetas.</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>Control number: {control}</source>
      <translation>Número de control: {control}</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>Copy of {ref} printed.</source>
      <translation>Copia de {ref} impresa.</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>FAIL</source>
      <translation>FALLA</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>File not found: {file}</source>
      <translation>No se encontró el archivo: {file}</translation>
    </message>
    <message>
      <location filename="../../app/commands/catalog.py" />
      <source>Import products from a CSV file with the columns code, description, price (VAT included) and optional barcode, separated by ; or ,. Existing codes are updated.</source>
      <translation>Importa productos desde un archivo CSV con las columnas código, descripción, precio (IVA incluido) y, opcional, código de barras, separadas por ; o ,. Los códigos que ya existen se actualizan.</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>Issue an invoice (DTE 01) through Ocote and print its ticket.</source>
      <translation>Emite una factura (DTE 01) a través de Ocote e imprime su ticket.</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>Line {n}: write it as DESCRIPTION|QUANTITY|PRICE or DESCRIPTION|QUANTITY|PRICE|DISCOUNT%</source>
      <translation>Línea {n}: escríbala como DESCRIPCIÓN|CANTIDAD|PRECIO o DESCRIPCIÓN|CANTIDAD|PRECIO|DESCUENTO%</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>Line {n}: “{value}” is not a number</source>
      <translation>Línea {n}: «{value}» no es un número</translation>
    </message>
    <message>
      <location filename="../../app/commands/__init__.py" />
      <source>No API key is configured, so nothing can be issued at Ocote. Set OCOTE_API_KEY (or the key in the settings). To practise, run “caja sandbox” and set OCOTE_API_URL to the address it prints, with any key of the form odt_ followed by 56 hexadecimal digits.</source>
      <translation>No hay una clave de API configurada, así que no se puede emitir nada en Ocote. Defina OCOTE_API_KEY (o la clave en la configuración). Para practicar, ejecute «caja sandbox» y ponga en OCOTE_API_URL la dirección que muestra, con cualquier clave de la forma odt_ seguida de 56 dígitos hexadecimales.</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>No API key is configured: Ocote was not asked.</source>
      <translation>No hay una clave de API configurada: no se consultó a Ocote.</translation>
    </message>
    <message>
      <location filename="../../app/commands/__init__.py" />
      <source>No API key is configured: set OCOTE_API_KEY (the sandbox accepts any key of the form odt_ followed by 56 hexadecimal digits).</source>
      <translation>No hay una clave de API configurada: defina OCOTE_API_KEY (el sandbox acepta cualquier clave de la forma odt_ seguida de 56 dígitos hexadecimales).</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>No permission to read {file}</source>
      <translation>Sin permiso para leer {file}</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>No printer configured: pass --printer URL or set CAJA_PRINTER (for example preview:/tmp/tickets or tcp://192.168.1.50).</source>
      <translation>No hay impresora configurada: use --printer URL o defina CAJA_PRINTER (por ejemplo preview:/tmp/tickets o tcp://192.168.1.50).</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>No printer configured: pass --printer URL or set CAJA_PRINTER.</source>
      <translation>No hay impresora configurada: use --printer URL o defina CAJA_PRINTER.</translation>
    </message>
    <message>
      <location filename="../../app/commands/catalog.py" />
      <source>No products found.</source>
      <translation>No se encontraron productos.</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>No sale with reference {ref} in the journal or at Ocote.</source>
      <translation>No hay ninguna venta con la referencia {ref} en el registro ni en Ocote.</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>No sales found.</source>
      <translation>No se encontraron ventas.</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>Not in this register's journal.</source>
      <translation>No está en el registro de esta caja.</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>OK</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>Preview: {path}</source>
      <translation>Vista previa: {path}</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>Print a copy (marked COPIA) of a past ticket. Nothing is sent to Ocote but, when the ticket is not kept locally, its download.</source>
      <translation>Imprime una copia (marcada COPIA) de un ticket anterior. No se envía nada a Ocote; solo se descarga el ticket si no está guardado en este equipo.</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>Print a test page: profile, width ruler, QR code and characters.</source>
      <translation>Imprime una página de prueba: perfil, regla de ancho, código QR y caracteres.</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>Print a ticket PDF on an ESC/POS receipt printer.</source>
      <translation>Imprime un PDF de ticket en una impresora de tickets ESC/POS.</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>Printed {bytes} bytes ({mm} mm of paper) on {printer}</source>
      <translation>Impresos {bytes} bytes ({mm} mm de papel) en {printer}</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>Reference: {ref}</source>
      <translation>Referencia: {ref}</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>Refresh the documents that are not final yet and report the day's totals by state and payment method.</source>
      <translation>Actualiza los documentos que aún no son definitivos e informa los totales del día por estado y forma de pago.</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>Resolve the sales whose outcome is unknown: ask Ocote, send them again with the same reference when needed, print their tickets.</source>
      <translation>Resuelve las ventas cuyo resultado se desconoce: consulta a Ocote, las reenvía con la misma referencia cuando hace falta e imprime sus tickets.</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>Sale {ref} ({day}): {state}, total ${total}</source>
      <translation>Venta {ref} ({day}): {state}, total ${total}</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>Sales still waiting for Ocote: {n}</source>
      <translation>Ventas que aún esperan a Ocote: {n}</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>Search past sales, newest first.</source>
      <translation>Busca ventas anteriores, de la más reciente a la más antigua.</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>Show a sale from the local journal and ask Ocote for its current state.</source>
      <translation>Muestra una venta del registro local y consulta a Ocote su estado actual.</translation>
    </message>
    <message>
      <location filename="../../app/commands/catalog.py" />
      <source>The product catalog: import it from CSV, list or search it.</source>
      <translation>El catálogo de productos: importarlo desde CSV, listarlo o buscar en él.</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>The timeout must be a positive number of seconds.</source>
      <translation>El tiempo de espera debe ser un número positivo de segundos.</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>Ticket printed: {answer}</source>
      <translation>Ticket impreso: {answer}</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>Unknown payment method code {code}</source>
      <translation>Código de forma de pago desconocido: {code}</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>Void an issued document at Ocote. This cannot be undone.</source>
      <translation>Anula en Ocote un documento emitido. No se puede deshacer.</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>WARNING</source>
      <translation>AVISO</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>Warning: {warning}</source>
      <translation>Aviso: {warning}</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>a line printed large above the ticket, e.g. COPIA</source>
      <translation>una línea impresa en grande arriba del ticket, p. ej. COPIA</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>a sale line: description, quantity, unit price with VAT, optional discount percentage (repeat for more lines)</source>
      <translation>una línea de la venta: descripción, cantidad, precio unitario con IVA y, opcional, porcentaje de descuento (repítalo para más líneas)</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>also write the documents to a CSV file</source>
      <translation>guardar además los documentos en un archivo CSV</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>an issued document (id or external reference): tells whether the key issues test or production documents</source>
      <translation>un documento emitido (id o referencia externa): indica si la clave emite documentos de prueba o de producción</translation>
    </message>
    <message>
      <location filename="../../app/commands/catalog.py" />
      <source>at most this many products (default 100)</source>
      <translation>como máximo esta cantidad de productos (100 por defecto)</translation>
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
      <source>caja: Ocote is unreachable: {n} documents not checked; the report comes from the journal.</source>
      <translation>caja: Ocote no responde (sin conexión): {n} documento(s) sin verificar; el informe sale del diario.</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>caja: voiding cannot be undone; repeat the command with --yes to confirm.</source>
      <translation>caja: una anulación no se puede deshacer; repita el comando con --yes para confirmarla.</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>caja: {n} documents could not be checked at Ocote; the report shows their last known state.</source>
      <translation>caja: no se pudo consultar en Ocote {n} documento(s); el informe muestra su último estado conocido.</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>check configuration, API key, printer and journal</source>
      <translation>revisar la configuración, la clave de API, la impresora y el diario</translation>
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
      <location filename="../../app/commands/sales.py" />
      <source>customer DUI</source>
      <translation>DUI del cliente</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>customer NIT</source>
      <translation>NIT del cliente</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>customer NRC</source>
      <translation>NRC del cliente</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>customer e-mail (Ocote sends the invoice there)</source>
      <translation>correo del cliente (Ocote le envía la factura)</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>customer name (default: Consumidor Final)</source>
      <translation>nombre del cliente (por defecto: Consumidor Final)</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>customer name (part of it), NIT or DUI</source>
      <translation>nombre del cliente (o parte de él), NIT o DUI</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>do not cut the paper</source>
      <translation>no cortar el papel</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>end of day: refresh pending documents and report</source>
      <translation>cierre del día: actualizar documentos pendientes e informe</translation>
    </message>
    <message>
      <source>external reference (whole or its beginning)</source>
      <translation type="vanished">referencia externa (completa o su inicio)</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>external reference (whole, its beginning or its last digits)</source>
      <translation>referencia externa (completa, su inicio o sus últimos dígitos)</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
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
      <location filename="../../app/commands/doctor.py" />
      <source>how long to wait for the API and the printer (default 5)</source>
      <translation>cuánto esperar a la API y a la impresora (predeterminado: 5)</translation>
    </message>
    <message>
      <location filename="../../app/commands/catalog.py" />
      <source>import and list the product catalog</source>
      <translation>importar y listar el catálogo de productos</translation>
    </message>
    <message>
      <location filename="../../app/commands/catalog.py" />
      <source>import products from a CSV file</source>
      <translation>importar productos desde un archivo CSV</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>issue an invoice for a sale and print its ticket</source>
      <translation>emitir la factura de una venta e imprimir su ticket</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>last business day</source>
      <translation>último día hábil</translation>
    </message>
    <message>
      <location filename="../../app/commands/catalog.py" />
      <source>list or search the products</source>
      <translation>listar o buscar productos</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>no</source>
      <translation>no</translation>
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
      <location filename="../../app/commands/catalog.py" />
      <source>only products whose code or description contains these words</source>
      <translation>solo los productos cuyo código o descripción contiene estas palabras</translation>
    </message>
    <message>
      <location filename="../../app/commands/supervisor.py" />
      <source>only this register (e.g. M001P001)</source>
      <translation>solo esta caja (p. ej. M001P001)</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>open the cash drawer</source>
      <translation>abrir la gaveta de dinero</translation>
    </message>
    <message>
      <location filename="../../app/commands/gui.py" />
      <source>open the cashier window (the default)</source>
      <translation>abrir la ventana de caja (lo predeterminado)</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>payment method code (CAT-017): 01 cash, 02 debit card, 03 credit card, ...</source>
      <translation>código de la forma de pago (CAT-017): 01 efectivo, 02 tarjeta de débito, 03 tarjeta de crédito, ...</translation>
    </message>
    <message>
      <location filename="../../app/commands/catalog.py" />
      <location filename="../../app/commands/sales.py" />
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
      <location filename="../../app/commands/printing.py" />
      <source>print a ticket PDF on a receipt printer</source>
      <translation>imprimir un PDF de ticket en una impresora de tickets</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>print one line of JSON</source>
      <translation>mostrar una línea de JSON</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>print the printer self-test page</source>
      <translation>imprimir la página de prueba de la impresora</translation>
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
      <location filename="../../app/commands/doctor.py" />
      <source>print the results as JSON</source>
      <translation>mostrar los resultados como JSON</translation>
    </message>
    <message>
      <location filename="../../app/commands/gui.py" />
      <source>printer URL for this session (overrides the settings)</source>
      <translation>URL de la impresora para esta sesión (reemplaza la configuración)</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>printer address (tcp://, usb://, serial://, file:, cups://, win32://, dummy:, preview:); default: CAJA_PRINTER or the configured printer</source>
      <translation>dirección de la impresora (tcp://, usb://, serial://, file:, cups://, win32://, dummy:, preview:); por defecto: CAJA_PRINTER o la impresora configurada</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <location filename="../../app/commands/supervisor.py" />
      <source>printer connection URL (default: the configured printer)</source>
      <translation>URL de conexión de la impresora (por defecto: la impresora configurada)</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>printer profile, e.g. generic-80, tm-t88, generic-58</source>
      <translation>perfil de impresora, p. ej. generic-80, tm-t88, generic-58</translation>
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
      <location filename="../../app/commands/printing.py" />
      <source>seconds to wait for the printer (default 10)</source>
      <translation>segundos de espera por la impresora (por defecto 10)</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>send the sales waiting for Ocote (the outbox)</source>
      <translation>enviar las ventas que esperan respuesta de Ocote (pendientes de envío)</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>show a sale from the journal and its document at Ocote</source>
      <translation>mostrar una venta del registro local y su documento en Ocote</translation>
    </message>
    <message>
      <location filename="../../app/commands/catalog.py" />
      <source>the CSV file</source>
      <translation>el archivo CSV</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>the PDF to print</source>
      <translation>el PDF que se va a imprimir</translation>
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
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>yes</source>
      <translation>sí</translation>
    </message>
    <message>
      <location filename="../../app/commands/doctor.py" />
      <source>{ok} OK, {warn} warning(s), {fail} failure(s).</source>
      <translation>{ok} OK, {warn} aviso(s), {fail} falla(s).</translation>
    </message>
  </context>
</TS>
