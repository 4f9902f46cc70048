<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>app</name>
    <message>
      <location filename="../../app/cli.py" />
      <source>%(prog)s: error: %(message)s
</source>
      <translation>%(prog)s: error: %(message)s
</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>API key</source>
      <translation>Clave de API</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>An API key is configured (from {source}).</source>
      <translation>Hay una clave de API configurada (desde {source}).</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>Caja point of sale</source>
      <translation>Punto de venta Caja</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Cannot connect to {host} ({reason}). Check the internet connection and the API address in Settings.</source>
      <translation>No se puede conectar con {host} ({reason}). Revise la conexión a internet y la dirección de la API en Configuración.</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>Could not remove the API key file {path}: {reason}</source>
      <translation>No se pudo eliminar el archivo de la clave de API {path}: {reason}</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>Could not save the API key to {path}: {reason}</source>
      <translation>No se pudo guardar la clave de API en {path}: {reason}</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>Could not save the settings to {path}: {reason}</source>
      <translation>No se pudo guardar la configuración en {path}: {reason}</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Data folder</source>
      <translation>Carpeta de datos</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Document {ref} was not found.</source>
      <translation>No se encontró el documento {ref}.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Environment</source>
      <translation>Ambiente</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Journal</source>
      <translation>Diario</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Keyring</source>
      <translation>Llavero</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Log file: {path}</source>
      <translation>Archivo de registro: {path}</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Log folder</source>
      <translation>Carpeta de registros</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>No API key is configured: Caja runs in training mode and issues no real invoices.</source>
      <translation>No hay clave de API configurada: Caja funciona en modo de entrenamiento y no emite facturas reales.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>No journal yet ({path}); it is created with the first sale.</source>
      <translation>Todavía no hay diario ({path}); se crea con la primera venta.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>No printer is configured: tickets cannot be printed. Set the printer in Settings.</source>
      <translation>No hay impresora configurada: no se pueden imprimir tiquetes. Configure la impresora en Configuración.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>No settings file yet ({path}): defaults are in use.</source>
      <translation>Todavía no hay archivo de configuración ({path}): se usan los valores predeterminados.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>No system keyring is available ({backend}): the API key is kept in {path}, readable by this user only. See “Troubleshooting” in the README.</source>
      <translation>No hay llavero del sistema disponible ({backend}): la clave de API se guarda en {path}, que solo este usuario puede leer. Vea “Troubleshooting” en el README.</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>OCOTE_API_KEY is not a valid Ocote API key (“odt_” followed by 56 lowercase hexadecimal characters).</source>
      <translation>OCOTE_API_KEY no es una clave válida de Ocote (“odt_” seguida de 56 caracteres hexadecimales en minúscula).</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Ocote API</source>
      <translation>API de Ocote</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Printer</source>
      <translation>Impresora</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Settings</source>
      <translation>Configuración</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Settings folder</source>
      <translation>Carpeta de configuración</translation>
    </message>
    <message>
      <location filename="../../app/logs.py" />
      <source>Sorry, something unexpected went wrong. The details were written to the log file {path}.</source>
      <translation>Lo sentimos, ocurrió un error inesperado. Los detalles se guardaron en el archivo de registro {path}.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>System keyring available ({backend}).</source>
      <translation>Llavero del sistema disponible ({backend}).</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>The API address “{url}” is not a valid URL. Fix it in Settings.</source>
      <translation>La dirección de la API “{url}” no es una URL válida. Corríjala en Configuración.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>The API key comes from OCOTE_API_KEY; the keyring is not used.</source>
      <translation>La clave de API viene de OCOTE_API_KEY; no se usa el llavero.</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>The API key file cannot be read ({reason}).</source>
      <translation>No se puede leer el archivo de la clave de API ({reason}).</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>The API key file {path} can be read by other users. Run: chmod 600 {path}</source>
      <translation>Otros usuarios pueden leer el archivo de la clave de API {path}. Ejecute: chmod 600 {path}</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>The API key is not valid: it must be “odt_” followed by 56 lowercase hexadecimal characters. Copy it again from your Ocote account into Settings.</source>
      <translation>La clave de API no es válida: debe ser “odt_” seguida de 56 caracteres hexadecimales en minúscula. Cópiela de nuevo desde su cuenta de Ocote en Configuración.</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>The API key must be “odt_” followed by 56 lowercase hexadecimal characters.</source>
      <translation>La clave de API debe ser “odt_” seguida de 56 caracteres hexadecimales en minúscula.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>The API key was refused: check it in Settings. {host} answered 401: the key is wrong, was deactivated, or its company is disabled.</source>
      <translation>La clave de API fue rechazada: revísela en Configuración. {host} respondió 401: la clave es incorrecta, fue desactivada o su empresa está deshabilitada.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>The check itself failed ({error}); see the log file {path}.</source>
      <translation>La revisión misma falló ({error}); vea el archivo de registro {path}.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>The connection to {host} failed ({reason}).</source>
      <translation>Falló la conexión con {host} ({reason}).</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>The damaged settings file was kept as {path}.</source>
      <translation>El archivo de configuración dañado se guardó como {path}.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>The environment of document {ref} could not be read (HTTP {code}).</source>
      <translation>No se pudo leer el ambiente del documento {ref} (HTTP {code}).</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>The environment variable {var} has an invalid value; it was ignored.</source>
      <translation>La variable de entorno {var} tiene un valor no válido; se ignoró.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>The journal {path} cannot be read ({reason}). Do not delete it: keep a copy and ask for support.</source>
      <translation>No se puede leer el diario {path} ({reason}). No lo borre: guarde una copia y pida soporte.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>The journal {path} is damaged ({reason}). Do not delete it: keep a copy and ask for support.</source>
      <translation>El diario {path} está dañado ({reason}). No lo borre: guarde una copia y pida soporte.</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>The setting “{name}” has an invalid value ({value}); the default is used.</source>
      <translation>El ajuste “{name}” tiene un valor no válido ({value}); se usa el valor predeterminado.</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>The settings file contained an API key; it was ignored. Enter the key in Settings so that it is kept in the system keyring.</source>
      <translation>El archivo de configuración contenía una clave de API; se ignoró. Ingrese la clave en Configuración para que se guarde en el llavero del sistema.</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>The settings file {path} cannot be read ({reason}); defaults are used.</source>
      <translation>No se puede leer el archivo de configuración {path} ({reason}); se usan los valores predeterminados.</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>The settings file {path} does not hold settings; defaults are used.</source>
      <translation>El archivo de configuración {path} no contiene una configuración; se usan los valores predeterminados.</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>The settings file {path} is damaged (perhaps half written); defaults are used.</source>
      <translation>El archivo de configuración {path} está dañado (quizá quedó a medio escribir); se usan los valores predeterminados.</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>The settings folder cannot be used ({reason}); defaults are used.</source>
      <translation>No se puede usar la carpeta de configuración ({reason}); se usan los valores predeterminados.</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>The stored API key is not a valid Ocote API key (“odt_” followed by 56 lowercase hexadecimal characters).</source>
      <translation>La clave de API guardada no es una clave válida de Ocote (“odt_” seguida de 56 caracteres hexadecimales en minúscula).</translation>
    </message>
    <message>
      <location filename="../../app/config.py" />
      <source>The system keyring could not be read; the API key file is used instead.</source>
      <translation>No se pudo leer el llavero del sistema; se usa el archivo de la clave de API.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>This key issues production documents (MH ambiente 01): real invoices.</source>
      <translation>Esta clave emite documentos de producción (ambiente MH 01): facturas reales.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>This key issues test documents (MH ambiente 00): they have no fiscal value.</source>
      <translation>Esta clave emite documentos de prueba (ambiente MH 00): no tienen validez fiscal.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Training mode: the built-in sandbox is used, no connection is needed.</source>
      <translation>Modo de entrenamiento: se usa el sandbox integrado, no se necesita conexión.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>Training mode: tickets go to the preview printer.</source>
      <translation>Modo de entrenamiento: los tiquetes van a la impresora de vista previa.</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>ambiguous option: %(option)s could match %(matches)s</source>
      <translation>opción ambigua: %(option)s puede ser %(matches)s</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>argument %(argument_name)s: %(message)s</source>
      <translation>argumento %(argument_name)s: %(message)s</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>can't open '%(filename)s': %(error)s</source>
      <translation>no se puede abrir '%(filename)s': %(error)s</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>expected at least one argument</source>
      <translation>se esperaba al menos un valor</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>expected at most one argument</source>
      <translation>se esperaba como máximo un valor</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>expected one argument</source>
      <translation>se esperaba un valor</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>invalid %(type)s value: %(value)r</source>
      <translation>valor %(type)s no válido: %(value)r</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>invalid choice: %(value)r (choose from %(choices)s)</source>
      <translation>opción no válida: %(value)r (elija entre %(choices)s)</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>log debug messages to stderr</source>
      <translation>registrar mensajes de depuración en stderr</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>not allowed with argument %s</source>
      <translation>no se permite junto con %s</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>one of the arguments %s is required</source>
      <translation>se requiere uno de estos argumentos: %s</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>options</source>
      <translation>opciones</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>positional arguments</source>
      <translation>argumentos</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>show the version and exit</source>
      <translation>mostrar la versión y salir</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>show this help message and exit</source>
      <translation>mostrar esta ayuda y salir</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>the OCOTE_API_KEY environment variable</source>
      <translation>la variable de entorno OCOTE_API_KEY</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>the file {path}</source>
      <translation>el archivo {path}</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>the following arguments are required: %s</source>
      <translation>faltan estos argumentos obligatorios: %s</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>the system keyring</source>
      <translation>el llavero del sistema</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>unrecognized arguments: %s</source>
      <translation>argumentos no reconocidos: %s</translation>
    </message>
    <message>
      <location filename="../../app/cli.py" />
      <source>usage: </source>
      <translation>uso: </translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>{host} answered with a server error (HTTP {code}); try again later.</source>
      <translation>{host} respondió con un error del servidor (HTTP {code}); intente más tarde.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>{host} did not answer within {seconds} seconds. Check the internet connection and try again.</source>
      <translation>{host} no respondió en {seconds} segundos. Revise la conexión a internet e intente de nuevo.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>{host} gave an unexpected answer (HTTP {code}). Check the API address in Settings.</source>
      <translation>{host} dio una respuesta inesperada (HTTP {code}). Revise la dirección de la API en Configuración.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>{host} is reachable and the API key was accepted.</source>
      <translation>{host} responde y aceptó la clave de API.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>{host} is reachable but says too many requests were made; wait a minute.</source>
      <translation>{host} responde, pero indica que se hicieron demasiadas solicitudes; espere un minuto.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>{n} damaged settings file(s) were set aside, the latest {path}. Delete them once you have checked your settings.</source>
      <translation>Se apartaron {n} archivo(s) de configuración dañado(s), el más reciente {path}. Bórrelos cuando haya revisado su configuración.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>{path} is intact.</source>
      <translation>{path} está íntegro.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>{path} is valid.</source>
      <translation>{path} es válido.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>{path} is writable.</source>
      <translation>Se puede escribir en {path}.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>{printer} is ready.</source>
      <translation>{printer} está lista.</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>{printer}: {problem}</source>
      <translation>{printer}: {problem}</translation>
    </message>
    <message>
      <location filename="../../app/diagnostics.py" />
      <source>{reason}: Caja cannot write there.</source>
      <translation>{reason}: Caja no puede escribir ahí.</translation>
    </message>
  </context>
</TS>
