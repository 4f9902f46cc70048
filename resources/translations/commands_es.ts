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
      <location filename="../../app/commands/printing.py" />
      <source>Cannot read {file}: {reason}</source>
      <translation>No se puede leer {file}: {reason}</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>Control number: {control}</source>
      <translation>Número de control: {control}</translation>
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
      <location filename="../../app/commands/sales.py" />
      <source>No API key is configured, so nothing can be issued at Ocote. Set OCOTE_API_KEY (or the key in the settings). To practise, run “caja sandbox” and set OCOTE_API_URL to the address it prints, with any key of the form odt_ followed by 56 hexadecimal digits.</source>
      <translation>No hay una clave de API configurada, así que no se puede emitir nada en Ocote. Defina OCOTE_API_KEY (o la clave en la configuración). Para practicar, ejecute «caja sandbox» y ponga en OCOTE_API_URL la dirección que muestra, con cualquier clave de la forma odt_ seguida de 56 dígitos hexadecimales.</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>No API key is configured: Ocote was not asked.</source>
      <translation>No hay una clave de API configurada: no se consultó a Ocote.</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
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
      <location filename="../../app/commands/sales.py" />
      <source>Not in this register's journal.</source>
      <translation>No está en el registro de esta caja.</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>Preview: {path}</source>
      <translation>Vista previa: {path}</translation>
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
      <location filename="../../app/commands/catalog.py" />
      <source>at most this many products (default 100)</source>
      <translation>como máximo esta cantidad de productos (100 por defecto)</translation>
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
      <location filename="../../app/commands/printing.py" />
      <source>do not cut the paper</source>
      <translation>no cortar el papel</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>external reference, control number or document id</source>
      <translation>referencia externa, número de control o id del documento</translation>
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
      <location filename="../../app/commands/catalog.py" />
      <source>only products whose code or description contains these words</source>
      <translation>solo los productos cuyo código o descripción contiene estas palabras</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>open the cash drawer</source>
      <translation>abrir la gaveta de dinero</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>payment method code (CAT-017): 01 cash, 02 debit card, 03 credit card, ...</source>
      <translation>código de la forma de pago (CAT-017): 01 efectivo, 02 tarjeta de débito, 03 tarjeta de crédito, ...</translation>
    </message>
    <message>
      <location filename="../../app/commands/catalog.py" />
      <location filename="../../app/commands/sales.py" />
      <source>print JSON</source>
      <translation>mostrar JSON</translation>
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
      <location filename="../../app/commands/printing.py" />
      <source>printer address (tcp://, usb://, serial://, file:, cups://, win32://, dummy:, preview:); default: CAJA_PRINTER or the configured printer</source>
      <translation>dirección de la impresora (tcp://, usb://, serial://, file:, cups://, win32://, dummy:, preview:); por defecto: CAJA_PRINTER o la impresora configurada</translation>
    </message>
    <message>
      <location filename="../../app/commands/sales.py" />
      <source>printer connection URL (default: the configured printer)</source>
      <translation>URL de conexión de la impresora (por defecto: la impresora configurada)</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>printer profile, e.g. generic-80, tm-t88, generic-58</source>
      <translation>perfil de impresora, p. ej. generic-80, tm-t88, generic-58</translation>
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
      <location filename="../../app/commands/sales.py" />
      <source>yes</source>
      <translation>sí</translation>
    </message>
  </context>
</TS>
