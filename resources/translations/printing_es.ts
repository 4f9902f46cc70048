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
      <location filename="../../app/printing/compose.py" />
      <source>Branch {branch} · Register {register}</source>
      <translation>Sucursal {branch} · Caja {register}</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/network.py" />
      <source>Cannot connect to the printer {printer}: check that it is on and on the network.</source>
      <translation>No se puede conectar con la impresora {printer}: revise que esté encendida y conectada a la red.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/base.py" />
      <source>Cannot open the printer {printer}.</source>
      <translation>No se puede abrir la impresora {printer}.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/serial.py" />
      <source>Cannot open the serial port {device}.</source>
      <translation>No se puede abrir el puerto serie {device}.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/file.py" />
      <source>Cannot open {path} for writing.</source>
      <translation>No se puede abrir {path} para escribir.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/preview.py" />
      <source>Cannot write the print preview into {folder}: {reason}</source>
      <translation>No se puede guardar la vista previa de impresión en {folder}: {reason}</translation>
    </message>
    <message>
      <location filename="../../app/printing/provisional.py" />
      <source>Cash received:</source>
      <translation>Efectivo recibido:</translation>
    </message>
    <message>
      <location filename="../../app/printing/provisional.py" />
      <source>Change:</source>
      <translation>Vuelto:</translation>
    </message>
    <message>
      <location filename="../../app/printing/ticket_printer.py" />
      <source>Characters:</source>
      <translation>Caracteres:</translation>
    </message>
    <message>
      <location filename="../../app/printing/provisional.py" />
      <source>Date and time:</source>
      <translation>Fecha y hora:</translation>
    </message>
    <message>
      <location filename="../../app/printing/ticket_printer.py" />
      <source>Date: {date}</source>
      <translation>Fecha: {date}</translation>
    </message>
    <message>
      <location filename="../../app/printing/ticket_printer.py" />
      <source>End of test page</source>
      <translation>Fin de la página de prueba</translation>
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
      <location filename="../../app/printing/url.py" />
      <source>Invalid printer address "{url}": {detail}</source>
      <translation>Dirección de impresora no válida "{url}": {detail}</translation>
    </message>
    <message>
      <location filename="../../app/printing/provisional.py" />
      <source>Keep this receipt: it identifies your sale.</source>
      <translation>Conserve este comprobante: identifica su compra.</translation>
    </message>
    <message>
      <location filename="../../app/printing/compose.py" />
      <source>NIT: {nit}</source>
      <translation>NIT: {nit}</translation>
    </message>
    <message>
      <location filename="../../app/printing/compose.py" />
      <source>NRC: {nrc}</source>
      <translation>NRC: {nrc}</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/serial.py" />
      <source>No permission to open the serial port {device}: add the user to the dialout group (Linux) and log in again.</source>
      <translation>Sin permiso para abrir el puerto serie {device}: agregue el usuario al grupo dialout (Linux) y vuelva a iniciar sesión.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/usb.py" />
      <source>No permission to use the USB printer {printer}: install Caja's udev rule (see packaging/) and plug the printer in again.</source>
      <translation>Sin permiso para usar la impresora USB {printer}: instale la regla udev de Caja (vea packaging/) y vuelva a conectar la impresora.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/file.py" />
      <source>No permission to write to {path} (on Linux, add the user to the lp group and log in again).</source>
      <translation>Sin permiso para escribir en {path} (en Linux, agregue el usuario al grupo lp y vuelva a iniciar sesión).</translation>
    </message>
    <message>
      <location filename="../../app/printing/provisional.py" />
      <source>Not a tax document</source>
      <translation>No es un documento tributario</translation>
    </message>
    <message>
      <location filename="../../app/printing/provisional.py" />
      <source>PROVISIONAL RECEIPT</source>
      <translation>COMPROBANTE PROVISIONAL</translation>
    </message>
    <message>
      <location filename="../../app/printing/provisional.py" />
      <source>Payment method:</source>
      <translation>Forma de pago:</translation>
    </message>
    <message>
      <location filename="../../app/printing/ticket_printer.py" />
      <source>Printer test page</source>
      <translation>Página de prueba de la impresora</translation>
    </message>
    <message>
      <location filename="../../app/printing/ticket_printer.py" />
      <source>Printer: {printer}</source>
      <translation>Impresora: {printer}</translation>
    </message>
    <message>
      <location filename="../../app/printing/ticket_printer.py" />
      <source>Profile: {name} ({label})</source>
      <translation>Perfil: {name} ({label})</translation>
    </message>
    <message>
      <location filename="../../app/printing/provisional.py" />
      <source>Provisional receipt {ref}</source>
      <translation>Comprobante provisional {ref}</translation>
    </message>
    <message>
      <location filename="../../app/printing/ticket_printer.py" />
      <source>Ruler in millimetres; both edge bars must print.</source>
      <translation>Regla en milímetros; las dos barras de los bordes deben imprimirse.</translation>
    </message>
    <message>
      <location filename="../../app/printing/provisional.py" />
      <source>Sale reference</source>
      <translation>Referencia de la venta</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/base.py" />
      <source>Sending to the printer {printer} failed; the ticket may be incomplete. Check the printer and print again.</source>
      <translation>Falló el envío a la impresora {printer}; es posible que el ticket haya quedado incompleto. Revise la impresora e imprima de nuevo.</translation>
    </message>
    <message>
      <location filename="../../app/printing/provisional.py" />
      <source>Served by:</source>
      <translation>Le atendió:</translation>
    </message>
    <message>
      <location filename="../../app/printing/provisional.py" />
      <source>TOTAL</source>
      <translation>TOTAL</translation>
    </message>
    <message>
      <location filename="../../app/printing/provisional.py" />
      <source>TRAINING — NOT VALID</source>
      <translation>ENTRENAMIENTO — SIN VALIDEZ</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/cups.py" />
      <source>The CUPS queue {printer} does not exist or CUPS is not running.</source>
      <translation>La cola de CUPS {printer} no existe o CUPS no está en ejecución.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/win32.py" />
      <source>The Windows printer {printer} is not installed.</source>
      <translation>La impresora de Windows {printer} no está instalada.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/base.py" />
      <source>The connection to the printer {printer} was lost.</source>
      <translation>Se perdió la conexión con la impresora {printer}.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/base.py" />
      <source>The device at {printer} answered, but not like a receipt printer: check the address and port (or the serial speed).</source>
      <translation>El equipo en {printer} respondió, pero no como una impresora de tickets: revise la dirección y el puerto (o la velocidad del puerto serie).</translation>
    </message>
    <message>
      <location filename="../../app/printing/provisional.py" />
      <source>The electronic invoice will be issued when the connection is back.</source>
      <translation>La factura electrónica se emitirá cuando vuelva la conexión.</translation>
    </message>
    <message>
      <location filename="../../app/printing/raster.py" />
      <source>The image has nothing to print.</source>
      <translation>La imagen no tiene nada que imprimir.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/network.py" />
      <source>The printer name in {printer} cannot be resolved: check the address.</source>
      <translation>No se puede resolver el nombre de la impresora en {printer}: revise la dirección.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/base.py" />
      <source>The printer {printer} did not confirm the ticket: check that it printed completely.</source>
      <translation>La impresora {printer} no confirmó el ticket: revise que se haya impreso completo.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/base.py" />
      <source>The printer {printer} did not respond within {seconds} s: check that it is on, connected and not busy, then print again.</source>
      <translation>La impresora {printer} no respondió en {seconds} s: revise que esté encendida, conectada y libre, y vuelva a imprimir.</translation>
    </message>
    <message>
      <location filename="../../app/printing/status.py" />
      <source>The printer {printer} has its cover open: close it and print again.</source>
      <translation>La impresora {printer} tiene la tapa abierta: ciérrela e imprima de nuevo.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/network.py" />
      <source>The printer {printer} is not answering (no connection within {seconds} s): check that it is on and on the network.</source>
      <translation>La impresora {printer} no responde (sin conexión en {seconds} s): revise que esté encendida y conectada a la red.</translation>
    </message>
    <message>
      <location filename="../../app/printing/status.py" />
      <source>The printer {printer} is offline.</source>
      <translation>La impresora {printer} está fuera de línea.</translation>
    </message>
    <message>
      <location filename="../../app/printing/status.py" />
      <source>The printer {printer} is out of paper: load a new roll and print again.</source>
      <translation>La impresora {printer} se quedó sin papel: coloque un rollo nuevo e imprima de nuevo.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/base.py" />
      <source>The printer {printer} is running out of paper: have a new roll ready.</source>
      <translation>A la impresora {printer} se le está acabando el papel: tenga listo un rollo nuevo.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/network.py" />
      <source>The printer {printer} refused the connection: check that it is on and that the address is right.</source>
      <translation>La impresora {printer} rechazó la conexión: revise que esté encendida y que la dirección sea correcta.</translation>
    </message>
    <message>
      <location filename="../../app/printing/status.py" />
      <source>The printer {printer} reports an error (paper jam, cutter or overheating): turn it off and on, then print again.</source>
      <translation>La impresora {printer} reporta un error (papel atascado, cortador o sobrecalentamiento): apáguela y enciéndala, luego imprima de nuevo.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/base.py" />
      <source>The printer {printer} stopped taking data for {seconds} s; the ticket may be incomplete. Check the printer and print again.</source>
      <translation>La impresora {printer} dejó de recibir datos durante {seconds} s; es posible que el ticket haya quedado incompleto. Revise la impresora e imprima de nuevo.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/serial.py" />
      <source>The serial port {device} does not exist: check the cable and the device name.</source>
      <translation>El puerto serie {device} no existe: revise el cable y el nombre del dispositivo.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/serial.py" />
      <source>The serial port {device} is in use by another program.</source>
      <translation>El puerto serie {device} está siendo usado por otro programa.</translation>
    </message>
    <message>
      <location filename="../../app/printing/raster.py" />
      <source>The ticket PDF cannot be rendered; it may be damaged.</source>
      <translation>No se puede procesar el PDF del ticket; puede estar dañado.</translation>
    </message>
    <message>
      <location filename="../../app/printing/raster.py" />
      <source>The ticket PDF has a page far too long to print.</source>
      <translation>El PDF del ticket tiene una página demasiado larga para imprimirla.</translation>
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
      <source>The ticket is longer than the {maximum} m allowed: nothing was printed. Check the PDF.</source>
      <translation>El ticket supera los {maximum} m permitidos: no se imprimió nada. Revise el PDF.</translation>
    </message>
    <message>
      <location filename="../../app/printing/raster.py" />
      <source>The ticket is not a readable PDF.</source>
      <translation>El ticket no es un PDF legible.</translation>
    </message>
    <message>
      <location filename="../../app/printing/status.py" />
      <source>The ticket may be incomplete.</source>
      <translation>Es posible que el ticket haya quedado incompleto.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/usb.py" />
      <source>USB printer {printer} not found: check that it is on and that the cable is plugged in.</source>
      <translation>No se encontró la impresora USB {printer}: revise que esté encendida y que el cable esté conectado.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/usb.py" />
      <source>USB printing needs the libusb library, which was not found: install libusb-1.0 (Debian/Ubuntu: apt install libusb-1.0-0).</source>
      <translation>Para imprimir por USB se necesita la biblioteca libusb, que no se encontró: instale libusb-1.0 (Debian/Ubuntu: apt install libusb-1.0-0).</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/registry.py" />
      <source>Unknown printer address "{url}": use one of {kinds}.</source>
      <translation>Dirección de impresora desconocida "{url}": use una de {kinds}.</translation>
    </message>
    <message>
      <location filename="../../app/printing/profiles.py" />
      <source>Unknown printer profile {name}. Known profiles: {known}.</source>
      <translation>Perfil de impresora desconocido: {name}. Perfiles disponibles: {known}.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/usb.py" />
      <source>expected usb://VID:PID in hexadecimal (example: usb://04b8:0e28)</source>
      <translation>se esperaba usb://VID:PID en hexadecimal (ejemplo: usb://04b8:0e28)</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/serial.py" />
      <source>invalid baud rate or byte size</source>
      <translation>velocidad (baudios) o tamaño de byte no válidos</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/network.py" />
      <source>invalid port "{port}"</source>
      <translation>puerto no válido "{port}"</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/file.py" />
      <source>no file path (example: file:/dev/usb/lp0)</source>
      <translation>falta la ruta del archivo (ejemplo: file:/dev/usb/lp0)</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/network.py" />
      <source>no host name (example: tcp://192.168.1.50:9100)</source>
      <translation>falta el nombre o IP del equipo (ejemplo: tcp://192.168.1.50:9100)</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/win32.py" />
      <source>no printer name (example: win32://EPSON TM-T20III Receipt)</source>
      <translation>falta el nombre de la impresora (ejemplo: win32://EPSON TM-T20III Receipt)</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/serial.py" />
      <source>no serial device (example: serial:///dev/ttyUSB0?baudrate=115200)</source>
      <translation>falta el puerto serie (ejemplo: serial:///dev/ttyUSB0?baudrate=115200)</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/file.py" />
      <source>only local files are supported (example: file:/dev/usb/lp0)</source>
      <translation>solo se admiten archivos locales (ejemplo: file:/dev/usb/lp0)</translation>
    </message>
    <message>
      <location filename="../../app/printing/url.py" />
      <source>option "{name}" has an invalid value "{value}"</source>
      <translation>la opción "{name}" tiene un valor no válido "{value}"</translation>
    </message>
    <message>
      <location filename="../../app/printing/url.py" />
      <source>unknown option "{name}" (allowed: {allowed})</source>
      <translation>opción desconocida "{name}" (permitidas: {allowed})</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/win32.py" />
      <source>win32:// printers exist only on Windows; use usb://, tcp:// or cups:// on this system.</source>
      <translation>Las impresoras win32:// solo existen en Windows; en este sistema use usb://, tcp:// o cups://.</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/network.py" />
      <source>write IPv6 addresses in brackets (example: tcp://[fd00::50]:9100)</source>
      <translation>escriba las direcciones IPv6 entre corchetes (ejemplo: tcp://[fd00::50]:9100)</translation>
    </message>
    <message>
      <location filename="../../app/printing/ticket_printer.py" />
      <source>{dots} dots per line, {dpi} dpi, {mm} mm printable</source>
      <translation>{dots} puntos por línea, {dpi} ppp, {mm} mm imprimibles</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/registry.py" />
      <source>{kind} printers need the optional package {package}: install caja[{extra}] (pip install "caja[{extra}]").</source>
      <translation>Las impresoras {kind} necesitan el paquete opcional {package}: instale caja[{extra}] (pip install "caja[{extra}]").</translation>
    </message>
    <message>
      <location filename="../../app/printing/backends/file.py" />
      <source>{path} does not exist: check that the printer is on and plugged in.</source>
      <translation>{path} no existe: revise que la impresora esté encendida y conectada.</translation>
    </message>
  </context>
</TS>
