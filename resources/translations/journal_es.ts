<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>journal</name>
    <message>
      <location filename="../../app/journal/records.py" />
      <source>Draft</source>
      <translation>Borrador</translation>
    </message>
    <message>
      <location filename="../../app/journal/records.py" />
      <source>Invalid</source>
      <translation>Inválida</translation>
    </message>
    <message>
      <location filename="../../app/journal/records.py" />
      <source>Issued</source>
      <translation>Emitida</translation>
    </message>
    <message>
      <location filename="../../app/journal/records.py" />
      <source>Issued in contingency</source>
      <translation>Emitida en contingencia</translation>
    </message>
    <message>
      <location filename="../../app/journal/records.py" />
      <source>Rejected</source>
      <translation>Rechazada</translation>
    </message>
    <message>
      <location filename="../../app/journal/sales.py" />
      <source>Sale {id} is not in the journal</source>
      <translation>La venta {id} no está en el registro</translation>
    </message>
    <message>
      <location filename="../../app/journal/sales.py" />
      <source>Sale {ref} cannot be changed: it is {state}</source>
      <translation>La venta {ref} no se puede modificar: su estado es {state}</translation>
    </message>
    <message>
      <location filename="../../app/journal/records.py" />
      <source>Sending</source>
      <translation>Enviando</translation>
    </message>
    <message>
      <location filename="../../app/journal/db.py" />
      <source>The sales journal cannot be opened: {error}</source>
      <translation>No se puede abrir el registro de ventas: {error}</translation>
    </message>
    <message>
      <location filename="../../app/journal/db.py" />
      <source>The sales journal could not be read or written: {error}</source>
      <translation>No se pudo leer o escribir el registro de ventas: {error}</translation>
    </message>
    <message>
      <location filename="../../app/journal/db.py" />
      <source>The sales journal was written by a newer version of Caja</source>
      <translation>El registro de ventas fue escrito por una versión más reciente de Caja</translation>
    </message>
    <message>
      <location filename="../../app/journal/tickets.py" />
      <source>The ticket could not be saved: {error}</source>
      <translation>No se pudo guardar el ticket: {error}</translation>
    </message>
    <message>
      <location filename="../../app/journal/records.py" />
      <source>Voided</source>
      <translation>Anulada</translation>
    </message>
    <message>
      <location filename="../../app/journal/records.py" />
      <source>Waiting to be sent</source>
      <translation>Pendiente de envío</translation>
    </message>
  </context>
</TS>
