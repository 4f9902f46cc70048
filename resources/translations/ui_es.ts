<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>ui</name>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>&amp;File</source>
      <translation>&amp;Archivo</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>1 document needs attention.</source>
      <translation>1 documento requiere atención.</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>&lt;b&gt;By payment&lt;/b&gt;</source>
      <translation>&lt;b&gt;Por forma de pago&lt;/b&gt;</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>&lt;b&gt;Documents&lt;/b&gt;</source>
      <translation>&lt;b&gt;Documentos&lt;/b&gt;</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>&lt;b&gt;Totals&lt;/b&gt;</source>
      <translation>&lt;b&gt;Totales&lt;/b&gt;</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>A rejected or invalid sale goes back to the sale screen to be corrected; charging it keeps its reference.</source>
      <translation>Una venta rechazada o inválida vuelve a la pantalla de venta para corregirla; al cobrarla conserva su referencia.</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>A sale is in progress</source>
      <translation>Hay una venta en curso</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>API URL</source>
      <translation>URL de la API</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>API key</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../app/ui/cart_model.py" />
      <location filename="../../app/ui/history_screen.py" />
      <source>Amount</source>
      <translation>Monto</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Another sale is on the sale screen: charge it or discard it (Esc) before correcting {ref}.</source>
      <translation>Hay otra venta en la pantalla de venta: cóbrela o descártela (Esc) antes de corregir {ref}.</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Ask Ocote about every document (slower)</source>
      <translation>Consultar a Ocote todos los documentos (más lento)</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Branch code</source>
      <translation>Código de establecimiento</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>CONTINGENCY</source>
      <translation>CONTINGENCIA</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <location filename="../../app/ui/main_window.py" />
      <source>CSV files (*.csv)</source>
      <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
      <location filename="../../app/ui/errors.py" />
      <source>Caja</source>
      <translation>Caja</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Caja — point of sale</source>
      <translation>Caja — punto de venta</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Cancel</source>
      <translation>Cancelar</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Cash handed over (optional)</source>
      <translation>Efectivo recibido (opcional)</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Cash received</source>
      <translation>Efectivo recibido</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Cashier</source>
      <translation>Cajero</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Change due</source>
      <translation>Vuelto</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>Change due: {amount}</source>
      <translation>Vuelto: {amount}</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_layout.py" />
      <source>Charge (F12)</source>
      <translation>Cobrar (F12)</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>Charge it again (F12) once the key works again. If the key is wrong, correct it in File › Settings (Ctrl+,) and restart Caja; the sale is then in History (F3), “Correct and charge again”.</source>
      <translation>Cóbrela de nuevo (F12) cuando la clave vuelva a funcionar. Si la clave está mal, corríjala en Archivo › Configuración (Ctrl+,) y reinicie Caja; la venta estará en Historial (F3), «Corregir y cobrar».</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Check again</source>
      <translation>Verificar de nuevo</translation>
    </message>
    <message>
      <source>Check these fields: {fields}</source>
      <translation type="vanished">Revise estos campos: {fields}</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Checking again…</source>
      <translation>Verificando de nuevo…</translation>
    </message>
    <message>
      <location filename="../../app/ui/product_picker.py" />
      <source>Choose a product</source>
      <translation>Elija un producto</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Close the day</source>
      <translation>Cerrar el día</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Closing {day}…</source>
      <translation>Cerrando el {day}…</translation>
    </message>
    <message>
      <location filename="../../app/ui/cart_model.py" />
      <source>Code</source>
      <translation>Código</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Collected (includes pending to send): {amount}</source>
      <translation>Cobrado (incluye pendientes de enviar): {amount}</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Condition</source>
      <translation>Condición</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_screen.py" />
      <source>Consumidor Final</source>
      <translation>Consumidor Final</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <location filename="../../app/ui/history_screen.py" />
      <source>Control number</source>
      <translation>Número de control</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>Copy of {ref} printed.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Copy printed.</source>
      <translation>Copia impresa.</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Correct and charge again</source>
      <translation>Corregir y cobrar</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>Correct and charge again (Enter)</source>
      <translation>Corregir y cobrar (Intro)</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>Correcting sale {ref}: fix it and charge it again (F12); it keeps its reference.</source>
      <translation>Corrigiendo la venta {ref}: corríjala y cóbrela de nuevo (F12); conserva su referencia.</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <location filename="../../app/ui/history_screen.py" />
      <source>Customer</source>
      <translation>Cliente</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_layout.py" />
      <source>Customer (F5)</source>
      <translation>Cliente (F5)</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_screen.py" />
      <source>Customer: {name}</source>
      <translation>Cliente: {name}</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Cut the paper after each ticket</source>
      <translation>Cortar el papel después de cada ticket</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>DUI</source>
      <translation>DUI</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>Date</source>
      <translation>Fecha</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>Dates</source>
      <translation>Fechas</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Day</source>
      <translation>Día</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Day checked: {n} requests to Ocote.</source>
      <translation>Día verificado: {n} consultas a Ocote.</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_layout.py" />
      <source>Delete line (Del)</source>
      <translation>Borrar línea (Supr)</translation>
    </message>
    <message>
      <location filename="../../app/ui/cart_model.py" />
      <location filename="../../app/ui/dialogs.py" />
      <source>Description</source>
      <translation>Descripción</translation>
    </message>
    <message>
      <location filename="../../app/ui/cart_model.py" />
      <source>Disc. %</source>
      <translation>Desc. %</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_screen.py" />
      <source>Discard the current sale?</source>
      <translation>¿Descartar la venta actual?</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Discount %</source>
      <translation>Descuento %</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_layout.py" />
      <source>Discounts</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Discounts: {amount}</source>
      <translation>Descuentos: {amount}</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Email</source>
      <translation>Correo electrónico</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>End of day (F9)</source>
      <translation>Cierre del día (F9)</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Enter the customer's DUI or NIT.</source>
      <translation>Escriba el DUI o el NIT del cliente.</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Enter the customer's name.</source>
      <translation>Escriba el nombre del cliente.</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Everything is in order.</source>
      <translation>Todo está en orden.</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Export CSV</source>
      <translation>Exportar CSV</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Export CSV…</source>
      <translation>Exportar CSV…</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>Fix the printer and press “Reprint ticket”.</source>
      <translation>Revise la impresora y presione “Reimprimir ticket”.</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Forget the stored key (back to training mode)</source>
      <translation>Olvidar la clave guardada (volver al modo entrenamiento)</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_layout.py" />
      <source>Free line (F4)</source>
      <translation>Línea libre (F4)</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Free-text line</source>
      <translation>Línea libre</translation>
    </message>
    <message>
      <source>Hacienda REJECTED the invoice. Correct the sale and charge it again (F12):</source>
      <translation type="vanished">Hacienda RECHAZÓ la factura. Corrija la venta y vuelva a cobrarla (F12):</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Hacienda has not confirmed it yet: check again later.</source>
      <translation>Hacienda aún no la confirma: verifique de nuevo más tarde.</translation>
    </message>
    <message>
      <source>Hacienda has not confirmed it yet; Ocote will send it. It is checked at the end of the day.</source>
      <translation type="vanished">Hacienda aún no la confirma; Ocote la enviará. Se verifica en el cierre del día.</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>History (F3)</source>
      <translation>Historial (F3)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Import catalog</source>
      <translation>Importar catálogo</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Import catalog (CSV)…</source>
      <translation>Importar catálogo (CSV)…</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>In training mode tickets always go to the preview; the printer set here is used once an API key is configured.</source>
      <translation>En modo entrenamiento los tickets siempre van a la vista previa; la impresora configurada aquí se usa cuando haya una clave de API.</translation>
    </message>
    <message>
      <source>Invoice {number} issued, but the ticket was NOT printed.</source>
      <translation type="vanished">Factura {number} emitida, pero el ticket NO se imprimió.</translation>
    </message>
    <message>
      <source>Invoice {number} issued.</source>
      <translation type="vanished">Factura {number} emitida.</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_screen.py" />
      <source>Issuing the invoice…</source>
      <translation>Emitiendo la factura…</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_layout.py" />
      <source>Items</source>
      <translation>Artículos</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Language</source>
      <translation>Idioma</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_layout.py" />
      <source>Last ticket</source>
      <translation>Último ticket</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>Loading the ticket…</source>
      <translation>Cargando el ticket…</translation>
    </message>
    <message>
      <location filename="../../app/ui/errors.py" />
      <source>Log file: {path}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Method</source>
      <translation>Forma de pago</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Mode: {mode}</source>
      <translation>Modo: {mode}</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Model</source>
      <translation>Modelo</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>NIT</source>
      <translation>NIT</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <location filename="../../app/ui/sale_screen.py" />
      <source>NOT ISSUED</source>
      <translation>NO EMITIDA</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>NOT PRINTED</source>
      <translation>NO IMPRESO</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>NRC</source>
      <translation>NRC</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Name</source>
      <translation>Nombre</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Needs attention</source>
      <translation>Requiere atención</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_screen.py" />
      <source>New sale</source>
      <translation>Nueva venta</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_layout.py" />
      <source>New sale (Esc)</source>
      <translation>Nueva venta (Esc)</translation>
    </message>
    <message>
      <source>No answer from Ocote: sale {ref} is saved and will be sent automatically; its ticket prints then. Do not charge it again. You can go on selling.</source>
      <translation type="vanished">Ocote no respondió: la venta {ref} quedó guardada y se enviará automáticamente; su ticket se imprimirá entonces. No la vuelva a cobrar. Puede seguir vendiendo.</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_screen.py" />
      <source>No product matches “{text}”. Use F4 for a free-text line.</source>
      <translation>Ningún producto coincide con “{text}”. Use F4 para una línea libre.</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>No sales this day.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>No ticket: this sale is {state}.</source>
      <translation>Sin ticket: esta venta está en estado «{state}».</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Not sent yet: check again when Ocote is reachable.</source>
      <translation>Aún no enviada: verifique de nuevo cuando haya conexión con Ocote.</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>OK</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Ocote</source>
      <translation>Ocote</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>Ocote did not accept the API key: the invoice was NOT issued.</source>
      <translation>Ocote no aceptó la clave de API: la factura NO se emitió.</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Ocote: API key refused</source>
      <translation>Ocote: clave de API rechazada</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Ocote: connected</source>
      <translation>Ocote: conectado</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Ocote: offline</source>
      <translation>Ocote: sin conexión</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Ocote: —</source>
      <translation>Ocote: —</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Offline: {n} documents not checked</source>
      <translation>Sin conexión: {n} documento(s) sin verificar</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Open the cash drawer on cash sales</source>
      <translation>Abrir la gaveta en ventas en efectivo</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Original ticket not printed: print it (the customer has no ticket).</source>
      <translation>Ticket original sin imprimir: imprímalo (el cliente no tiene su ticket).</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Original ticket printed.</source>
      <translation>Ticket original impreso.</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>PRODUCTION</source>
      <translation>PRODUCCIÓN</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Payment</source>
      <translation>Pago</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Pending to send: {n} · {amount}</source>
      <translation>Pendientes de enviar: {n} · {amount}</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Pending: {n}</source>
      <translation>Pendientes: {n}</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Phone</source>
      <translation>Teléfono</translation>
    </message>
    <message>
      <location filename="../../app/ui/cart_model.py" />
      <source>Price</source>
      <translation>Precio</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Print original ticket</source>
      <translation>Imprimir ticket original</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Print report</source>
      <translation>Imprimir reporte</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>Printed</source>
      <translation>Impreso</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Printer</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Printer URL</source>
      <translation>URL de la impresora</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Printer: {name}</source>
      <translation>Impresora: {name}</translation>
    </message>
    <message>
      <source>Printer: {reason}</source>
      <translation type="vanished">Impresora: {reason}</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <location filename="../../app/ui/history_screen.py" />
      <source>Printing a copy of {ref}…</source>
      <translation>Imprimiendo una copia de {ref}…</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Printing the original ticket of {ref}…</source>
      <translation>Imprimiendo el ticket original de {ref}…</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Printing the report…</source>
      <translation>Imprimiendo el reporte…</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Printing the test page…</source>
      <translation>Imprimiendo la página de prueba…</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_screen.py" />
      <source>Printing the ticket…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>QUEUED</source>
      <translation>EN COLA</translation>
    </message>
    <message>
      <location filename="../../app/ui/cart_model.py" />
      <source>Qty</source>
      <translation>Cant.</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Quantity</source>
      <translation>Cantidad</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Quit</source>
      <translation>Salir</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>REJECTED</source>
      <translation>RECHAZADA</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Reason</source>
      <translation>Motivo</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <location filename="../../app/ui/history_screen.py" />
      <source>Reference</source>
      <translation>Referencia</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Register</source>
      <translation>Caja</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Register code</source>
      <translation>Código de punto de venta</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Rejected: correct the sale and charge it again.</source>
      <translation>Rechazada: corrija la venta y vuelva a cobrarla.</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Report printed.</source>
      <translation>Reporte impreso.</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <location filename="../../app/ui/history_screen.py" />
      <source>Reprint copy</source>
      <translation>Reimprimir copia</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_layout.py" />
      <source>Reprint ticket</source>
      <translation>Reimprimir ticket</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Sale (F1)</source>
      <translation>Venta (F1)</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Sale {ref} can no longer be corrected: it is {state}.</source>
      <translation>La venta {ref} ya no se puede corregir: está {state}.</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>Sale {ref} is kept, not issued.</source>
      <translation>La venta {ref} se conserva, sin emitir.</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Sales of {amount} or more must name the customer with a DUI or NIT.</source>
      <translation>Las ventas de {amount} o más deben llevar el nombre del cliente con DUI o NIT.</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_screen.py" />
      <source>Sales of {amount} or more must name the customer.</source>
      <translation>Las ventas de {amount} o más deben llevar los datos del cliente.</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Save</source>
      <translation>Guardar</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Saved to {path}</source>
      <translation>Guardado en {path}</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Say why the document is voided.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../app/ui/sale_layout.py" />
      <source>Scan or type a code, 3*code for a quantity, or words to search</source>
      <translation>Escanee o escriba un código, 3*código para una cantidad, o palabras para buscar</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>Search</source>
      <translation>Buscar</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>Select a sale to see its ticket.</source>
      <translation>Seleccione una venta para ver su ticket.</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Settings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Settings…</source>
      <translation>Configuración…</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <location filename="../../app/ui/history_screen.py" />
      <source>State</source>
      <translation>Estado</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Summary</source>
      <translation>Resumen</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>TEST</source>
      <translation>PRUEBAS</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_layout.py" />
      <source>TOTAL</source>
      <translation>TOTAL</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>TRAINING</source>
      <translation>ENTRENAMIENTO</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Term</source>
      <translation>Plazo</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Term unit</source>
      <translation>Unidad del plazo</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Test or production is read from the latest issued document (MH environment 00 = test, 01 = production).</source>
      <translation>Pruebas o producción se lee del último documento emitido (ambiente MH 00 = pruebas, 01 = producción).</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Test page sent. Check the paper.</source>
      <translation>Página de prueba enviada. Revise el papel.</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>Test print</source>
      <translation>Imprimir prueba</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>The DUI is not valid (format 00000000-0, check digit).</source>
      <translation>El DUI no es válido (formato 00000000-0, dígito verificador).</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>The NIT is not valid.</source>
      <translation>El NIT no es válido.</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>The NRC is not valid (2 to 8 digits).</source>
      <translation>El NRC no es válido (de 2 a 8 dígitos).</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>The cash received is less than the total.</source>
      <translation>El efectivo recibido es menor que el total.</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>The email address is not valid.</source>
      <translation>El correo electrónico no es válido.</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>The file could not be imported.</source>
      <translation>No se pudo importar el archivo.</translation>
    </message>
    <message>
      <source>The file could not be saved: {reason}</source>
      <translation type="vanished">No se pudo guardar el archivo: {reason}</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>The invoice was not issued:</source>
      <translation>La factura no se emitió:</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>The language, the API URL and the API key apply when Caja is restarted; the printer applies at once.</source>
      <translation>El idioma, la URL de la API y la clave de la API se aplican al reiniciar Caja; la impresora se aplica de inmediato.</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_layout.py" />
      <source>The last ticket appears here.</source>
      <translation>Aquí aparece el último ticket.</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>The printer failed; see the log.</source>
      <translation>La impresora falló; vea el registro.</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>The sale is kept, not issued.</source>
      <translation>La venta se conserva, sin emitir.</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>The settings could not be saved.</source>
      <translation>No se pudo guardar la configuración.</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>The ticket cannot be shown.</source>
      <translation>No se puede mostrar el ticket.</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>The ticket was NOT printed: {reason}</source>
      <translation>El ticket NO se imprimió: {reason}</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>Ticket printed.</source>
      <translation>Ticket impreso.</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <location filename="../../app/ui/eod_screen.py" />
      <location filename="../../app/ui/history_screen.py" />
      <source>Total</source>
      <translation>Total</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>Total: {amount}</source>
      <translation>Total: {amount}</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Type the description.</source>
      <translation>Escriba la descripción.</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Type the unit price (VAT included).</source>
      <translation>Escriba el precio unitario (IVA incluido).</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_layout.py" />
      <source>Undo (Ctrl+Z)</source>
      <translation>Deshacer (Ctrl+Z)</translation>
    </message>
    <message>
      <location filename="../../app/ui/errors.py" />
      <source>Unexpected error</source>
      <translation>Error inesperado</translation>
    </message>
    <message>
      <location filename="../../app/ui/sale_screen.py" />
      <source>Unexpected error: the sale is kept; see the log for details.</source>
      <translation>Error inesperado: la venta se conserva; vea el registro para más detalles.</translation>
    </message>
    <message>
      <location filename="../../app/ui/errors.py" />
      <source>Unexpected error; see the log for details.</source>
      <translation>Error inesperado; vea el registro para más detalles.</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Unit price</source>
      <translation>Precio unitario</translation>
    </message>
    <message>
      <location filename="../../app/ui/product_picker.py" />
      <source>Up/Down to choose, Enter to add, Esc to cancel.</source>
      <translation>Flechas arriba/abajo para elegir, Intro para agregar, Esc para cancelar.</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <location filename="../../app/ui/sale_layout.py" />
      <source>VAT included</source>
      <translation>IVA incluido</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>VAT: {amount}</source>
      <translation>IVA: {amount}</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Void</source>
      <translation>Anular</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Void invoice</source>
      <translation>Anular factura</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>Void invoice {ref} for {amount}? Hacienda is told at once; this cannot be undone.</source>
      <translation>¿Anular la factura {ref} por {amount}? Se avisa a Hacienda de inmediato; no se puede deshacer.</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>Voiding {ref}…</source>
      <translation>Anulando {ref}…</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>Void…</source>
      <translation>Anular…</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>Wait until the current sale is finished before closing.</source>
      <translation>Espere a que termine la venta en curso antes de cerrar.</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>What to do</source>
      <translation>Qué hacer</translation>
    </message>
    <message>
      <location filename="../../app/ui/outcome.py" />
      <source>You can go on selling.</source>
      <translation>Puede seguir vendiendo.</translation>
    </message>
    <message>
      <location filename="../../app/ui/dialogs.py" />
      <source>e.g. the customer returned the goods</source>
      <translation>p. ej., el cliente devolvió la mercadería</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>full number or last digits</source>
      <translation>número completo o últimos dígitos</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>name, NIT or DUI</source>
      <translation>nombre, NIT o DUI</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>no</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>none</source>
      <translation>ninguna</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>none: Caja runs in training mode</source>
      <translation>ninguna: Caja funciona en modo entrenamiento</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>practice only: no fiscal document is issued; tickets go to the preview</source>
      <translation>solo práctica: no se emite ningún documento fiscal; los tickets van a la vista previa</translation>
    </message>
    <message>
      <location filename="../../app/ui/settings_dialog.py" />
      <source>stored; type a new key to replace it</source>
      <translation>guardada; escriba una clave nueva para reemplazarla</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" />
      <source>test or production: not known yet</source>
      <translation>pruebas o producción: aún no se sabe</translation>
    </message>
    <message>
      <source>the whole reference or its beginning, e.g. M001P001-20261121</source>
      <translation type="vanished">la referencia completa o su inicio, p. ej. M001P001-20261121</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>the whole reference, its beginning or its last digits, e.g. 42</source>
      <translation>la referencia completa, su inicio o sus últimos dígitos, p. ej. 42</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>to</source>
      <translation>al</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>yes</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{label} ({dots} dots)</source>
      <translation type="vanished">{label} ({dots} puntos)</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>{n} documents could not be checked with Ocote; their last known state is shown.</source>
      <translation>{n} documentos no se pudieron verificar con Ocote; se muestra su último estado conocido.</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>{n} documents counted</source>
      <translation>{n} documentos contabilizados</translation>
    </message>
    <message>
      <location filename="../../app/ui/eod_screen.py" />
      <source>{n} documents need attention.</source>
      <translation>{n} documentos requieren atención.</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>{n} sales found.</source>
      <translation>{n} ventas encontradas.</translation>
    </message>
    <message>
      <location filename="../../app/ui/history_screen.py" />
      <source>“Correct and charge again” (Enter) puts it back on the sale screen.</source>
      <translation>«Corregir y cobrar» (Intro) la devuelve a la pantalla de venta.</translation>
    </message>
  </context>
</TS>
