<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>commands</name>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>Cannot read {file}: {reason}</source>
      <translation>No se puede leer {file}: {reason}</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>File not found: {file}</source>
      <translation>No se encontró el archivo: {file}</translation>
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
      <location filename="../../app/commands/printing.py" />
      <source>The timeout must be a positive number of seconds.</source>
      <translation>El tiempo de espera debe ser un número positivo de segundos.</translation>
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
      <location filename="../../app/commands/printing.py" />
      <source>do not cut the paper</source>
      <translation>no cortar el papel</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>open the cash drawer</source>
      <translation>abrir la gaveta de dinero</translation>
    </message>
    <message>
      <location filename="../../app/commands/printing.py" />
      <source>print a ticket PDF on a receipt printer</source>
      <translation>imprimir un PDF de ticket en una impresora de tickets</translation>
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
      <location filename="../../app/commands/printing.py" />
      <source>the PDF to print</source>
      <translation>el PDF que se va a imprimir</translation>
    </message>
  </context>
</TS>
