<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>api</name>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Could not connect to Ocote; nothing was sent. Check the internet connection.</source>
      <translation>No se pudo conectar con Ocote; no se envió nada. Revise la conexión a internet.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Customer {field}: {message}</source>
      <translation>Cliente, {field}: {message}</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Line {n}, {field}: {message}</source>
      <translation>Línea {n}, {field}: {message}</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Ocote answered “not found” at this address: check the API address in the settings.</source>
      <translation>Ocote respondió «no encontrado» en esta dirección: revise la dirección de la API en la configuración.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Ocote answered “not found”: check the API address in the settings.</source>
      <translation>Ocote respondió «no encontrado»: revise la dirección de la API en la configuración.</translation>
    </message>
    <message>
      <source>Ocote did not accept the API key (missing, invalid or deactivated, or the company is disabled). Check the API key in the settings.</source>
      <translation type="vanished">Ocote no aceptó la clave de la API (falta, no es válida o está desactivada, o la empresa está deshabilitada). Revise la clave de la API en la configuración.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Ocote did not accept the API key (missing, invalid or deactivated, or the company is disabled): check the API key in the settings.</source>
      <translation>Ocote no aceptó la clave de API (falta, no es válida o está desactivada, o la empresa está deshabilitada): revise la clave de API en la configuración.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Ocote did not answer within {seconds} seconds; the outcome is unknown until it is checked again.</source>
      <translation>Ocote no respondió en {seconds} segundos; el resultado se desconoce hasta que se vuelva a consultar.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Ocote gave an unexpected answer (HTTP {status}); check the API address in the settings.</source>
      <translation>Ocote dio una respuesta inesperada (HTTP {status}); revise la dirección de la API en la configuración.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Ocote had an internal error (HTTP {status}); the outcome is unknown until it is checked again.</source>
      <translation>Ocote tuvo un error interno (HTTP {status}); el resultado se desconoce hasta que se vuelva a consultar.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Ocote has no document with the id or reference {ref}.</source>
      <translation>Ocote no tiene ningún documento con el identificador o la referencia {ref}.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Ocote refused the operation in the document's current state.</source>
      <translation>Ocote rechazó la operación en el estado actual del documento.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Ocote refused the operation: {detail}</source>
      <translation>Ocote rechazó la operación: {detail}</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Ocote rejected the data (HTTP {status}) without saying why.</source>
      <translation>Ocote rechazó los datos (HTTP {status}) sin indicar el motivo.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Ocote rejected the data: {detail}</source>
      <translation>Ocote rechazó los datos: {detail}</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Ocote's answer (HTTP {status}) could not be read; the outcome is unknown until it is checked again.</source>
      <translation>No se pudo leer la respuesta de Ocote (HTTP {status}); el resultado se desconoce hasta que se vuelva a consultar.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>Ocote's request limit was reached; try again in {seconds} seconds.</source>
      <translation>Se alcanzó el límite de solicitudes de Ocote; intente de nuevo en {seconds} segundos.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>The API address redirects elsewhere (HTTP {status}): check the API address in the settings.</source>
      <translation>La dirección de la API redirige a otro lugar (HTTP {status}): revise la dirección de la API en la configuración.</translation>
    </message>
    <message>
      <location filename="../../app/api/client.py" />
      <source>The Ocote API address is not valid: {url}</source>
      <translation>La dirección de la API de Ocote no es válida: {url}</translation>
    </message>
    <message>
      <location filename="../../app/api/client.py" />
      <source>The Ocote API key is missing or malformed.</source>
      <translation>La clave de la API de Ocote falta o no tiene un formato válido.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>The connection to Ocote was lost before its answer arrived; the outcome is unknown until it is checked again.</source>
      <translation>Se perdió la conexión con Ocote antes de recibir su respuesta; el resultado se desconoce hasta que se vuelva a consultar.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>The server at the API address did not answer as Ocote (HTTP {status}): check the API address in the settings.</source>
      <translation>El servidor en la dirección de la API no respondió como Ocote (HTTP {status}): revise la dirección de la API en la configuración.</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>address</source>
      <translation>dirección</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>credit term</source>
      <translation>plazo de crédito</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>credit term unit</source>
      <translation>unidad del plazo de crédito</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>customer</source>
      <translation>cliente</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>customer name</source>
      <translation>nombre del cliente</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>description</source>
      <translation>descripción</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>discount</source>
      <translation>descuento</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>email</source>
      <translation>correo electrónico</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>invalid value</source>
      <translation>valor no válido</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>lines</source>
      <translation>líneas</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>name</source>
      <translation>nombre</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>payment condition</source>
      <translation>condición de pago</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>payment method</source>
      <translation>forma de pago</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>phone</source>
      <translation>teléfono</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>quantity</source>
      <translation>cantidad</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>reference</source>
      <translation>referencia</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>unit price</source>
      <translation>precio unitario</translation>
    </message>
    <message>
      <location filename="../../app/api/errors.py" />
      <source>{field}: {message}</source>
      <translation>{field}: {message}</translation>
    </message>
  </context>
</TS>
