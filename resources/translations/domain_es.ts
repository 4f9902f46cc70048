<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
  <context>
    <name>domain</name>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>A credit term applies only to sales on credit</source>
      <translation>El plazo de crédito solo aplica a ventas al crédito</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>A customer with an NRC also needs their NIT</source>
      <translation>Un cliente con NRC también necesita su NIT</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>A sale can have at most {max} lines</source>
      <translation>Una venta puede tener como máximo {max} líneas</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>A sale on credit needs the term unit: days, months or years</source>
      <translation>Una venta al crédito necesita la unidad del plazo: días, meses o años</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>A sale on credit needs the term: a whole number greater than zero</source>
      <translation>Una venta al crédito necesita el plazo: un número entero mayor que cero</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>Add at least one product to the sale</source>
      <translation>Agregue al menos un producto a la venta</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Bank draft</source>
      <translation>Giro bancario</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Bank transfer or deposit</source>
      <translation>Transferencia o depósito bancario</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Bitcoin</source>
      <translation>Bitcoin</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Cash (bills and coins)</source>
      <translation>Billetes y monedas</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Cash sale</source>
      <translation>Contado</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Cheque</source>
      <translation>Cheque</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Credit card</source>
      <translation>Tarjeta de crédito</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Customer's accounts payable</source>
      <translation>Cuentas por pagar del receptor</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>DUI</source>
      <translation>DUI</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Days</source>
      <translation>Días</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Debit card</source>
      <translation>Tarjeta de débito</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Electronic money</source>
      <translation>Dinero electrónico</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Electronic wallet</source>
      <translation>Monedero electrónico</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>Line {n}: the description can have at most {max} characters</source>
      <translation>Línea {n}: la descripción puede tener como máximo {max} caracteres</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>Line {n}: the description is empty</source>
      <translation>Línea {n}: la descripción está vacía</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>Line {n}: the discount can have at most {places} decimal places</source>
      <translation>Línea {n}: el descuento puede tener como máximo {places} decimales</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>Line {n}: the discount must be between 0 and {max} %</source>
      <translation>Línea {n}: el descuento debe estar entre 0 y {max} %</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>Line {n}: the price can have at most {places} decimal places</source>
      <translation>Línea {n}: el precio puede tener como máximo {places} decimales</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>Line {n}: the price must be greater than zero</source>
      <translation>Línea {n}: el precio debe ser mayor que cero</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>Line {n}: the price must be less than {max}</source>
      <translation>Línea {n}: el precio debe ser menor que {max}</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>Line {n}: the quantity can have at most {places} decimal places</source>
      <translation>Línea {n}: la cantidad puede tener como máximo {places} decimales</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>Line {n}: the quantity must be greater than zero</source>
      <translation>Línea {n}: la cantidad debe ser mayor que cero</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>Line {n}: the quantity must be less than {max}</source>
      <translation>Línea {n}: la cantidad debe ser menor que {max}</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Months</source>
      <translation>Meses</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>NIT</source>
      <translation>NIT</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>On credit</source>
      <translation>A crédito</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Other condition</source>
      <translation>Otro</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Other cryptocurrencies</source>
      <translation>Otras criptomonedas</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Other document</source>
      <translation>Otro documento</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Other payment method</source>
      <translation>Otros</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Passport</source>
      <translation>Pasaporte</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Resident card</source>
      <translation>Carné de residente</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>Sales of {limit} or more need the customer's name and DUI or NIT</source>
      <translation>Las ventas de {limit} o más necesitan el nombre del cliente y su DUI o NIT</translation>
    </message>
    <message>
      <location filename="../../app/domain/identity.py" />
      <source>The DUI must have 9 digits, written like 00000000-0</source>
      <translation>El DUI debe tener 9 dígitos, escrito así: 00000000-0</translation>
    </message>
    <message>
      <location filename="../../app/domain/identity.py" />
      <source>The DUI {dui} is not valid: check the digits</source>
      <translation>El DUI {dui} no es válido: revise los dígitos</translation>
    </message>
    <message>
      <location filename="../../app/domain/identity.py" />
      <source>The NIT must have 14 digits, or the 9 digits of the DUI</source>
      <translation>El NIT debe tener 14 dígitos, o los 9 dígitos del DUI</translation>
    </message>
    <message>
      <location filename="../../app/domain/identity.py" />
      <source>The NIT {nit} is not valid: check the digits</source>
      <translation>El NIT {nit} no es válido: revise los dígitos</translation>
    </message>
    <message>
      <location filename="../../app/domain/identity.py" />
      <source>The NRC must have 2 to 8 digits, written like 123456-7</source>
      <translation>El NRC debe tener de 2 a 8 dígitos, escrito así: 123456-7</translation>
    </message>
    <message>
      <location filename="../../app/domain/money.py" />
      <source>The amount must be a finite number</source>
      <translation>El monto debe ser un número finito</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>The amount received ({tendered}) is less than the total ({total})</source>
      <translation>El monto recibido ({tendered}) es menor que el total ({total})</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>The amount received must be a finite number</source>
      <translation>El monto recibido debe ser un número finito</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>The amount received must be less than {max} and have at most 2 decimal places</source>
      <translation>El monto recibido debe ser menor que {max} y tener como máximo 2 decimales</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>The credit term can be at most {max}</source>
      <translation>El plazo del crédito puede ser como máximo {max}</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>The customer's address can have at most {max} characters</source>
      <translation>La dirección del cliente puede tener como máximo {max} caracteres</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>The customer's name can have at most {max} characters</source>
      <translation>El nombre del cliente puede tener como máximo {max} caracteres</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>The customer's name is required</source>
      <translation>El nombre del cliente es obligatorio</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>The customer's phone number must have {min} to {max} characters</source>
      <translation>El teléfono del cliente debe tener de {min} a {max} caracteres</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>The discount must be a finite number</source>
      <translation>El descuento debe ser un número finito</translation>
    </message>
    <message>
      <location filename="../../app/domain/identity.py" />
      <source>The e-mail address can have at most {max} characters</source>
      <translation>El correo electrónico puede tener como máximo {max} caracteres</translation>
    </message>
    <message>
      <location filename="../../app/domain/identity.py" />
      <source>The e-mail address is not valid (example: nombre@correo.com)</source>
      <translation>El correo electrónico no es válido (ejemplo: nombre@correo.com)</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>The payment condition is not valid</source>
      <translation>La condición de pago no es válida</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>The payment method is not valid</source>
      <translation>La forma de pago no es válida</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>The quantity must be a finite number</source>
      <translation>La cantidad debe ser un número finito</translation>
    </message>
    <message>
      <location filename="../../app/domain/refs.py" />
      <source>The register code is too long</source>
      <translation>El código de la caja es demasiado largo</translation>
    </message>
    <message>
      <location filename="../../app/domain/refs.py" />
      <source>The register code may contain only letters and digits</source>
      <translation>El código de la caja solo puede contener letras y dígitos</translation>
    </message>
    <message>
      <location filename="../../app/domain/refs.py" />
      <source>The sale reference can have at most {max} characters</source>
      <translation>La referencia de la venta puede tener como máximo {max} caracteres</translation>
    </message>
    <message>
      <location filename="../../app/domain/refs.py" />
      <source>The sale reference is missing</source>
      <translation>Falta la referencia de la venta</translation>
    </message>
    <message>
      <location filename="../../app/domain/refs.py" />
      <source>The sale reference may contain only letters, digits, dots, hyphens and underscores</source>
      <translation>La referencia de la venta solo puede contener letras, dígitos, puntos, guiones y guiones bajos</translation>
    </message>
    <message>
      <location filename="../../app/domain/invoice.py" />
      <source>The unit price must be a finite number</source>
      <translation>El precio unitario debe ser un número finito</translation>
    </message>
    <message>
      <location filename="../../app/domain/catalogs.py" />
      <source>Years</source>
      <translation>Años</translation>
    </message>
    <message>
      <location filename="../../app/domain/cart.py" />
      <source>{label}: “{text}” is not a number</source>
      <translation>{label}: “{text}” no es un número</translation>
    </message>
    <message>
      <location filename="../../app/domain/money.py" />
      <source>“{text}” is not a valid number</source>
      <translation>«{text}» no es un número válido</translation>
    </message>
  </context>
</TS>
