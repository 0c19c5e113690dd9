# ruff: noqa: E501 - the form's sentences are kept whole, one per line, to compare with the FTC text
"""The wording of the FTC Buyers Guide (16 CFR 455, as amended effective 2017-01-27).

English and Spanish side by side, so a change to one language is seen next to the other.
The text follows the FTC's published forms; verify against the official form when the
FTC amends the Rule (docs/inventory.md says how). The PDFs embed a Unicode font (core.pdf), so
any accent or typographic quote in the wording prints as written.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "es"]
LANGUAGES: tuple[Language, ...] = ("en", "es")

# The systems the back of the form lists, in the form's order, with the defects it names.
MAJOR_DEFECTS: dict[Language, list[tuple[str, str]]] = {
    "en": [
        ("Frame & Body", "Frame-cracks, corrective welds, or rusted through; dogtracks, bent or twisted frame."),
        ("Engine", "Oil leakage, excluding normal seepage; cracked block or head; belts missing or inoperable; knocks or misses related to camshaft lifters and push rods; abnormal exhaust discharge."),
        ("Transmission & Drive Shaft", "Improper fluid level or leakage, excluding normal seepage; cracked or damaged case which is visible; abnormal noise or vibration caused by faulty transmission or drive shaft; improper shifting or functioning in any gear; manual clutch slips or chatters."),
        ("Differential", "Improper fluid level or leakage, excluding normal seepage; cracked or damaged housing which is visible; abnormal noise or vibration caused by faulty differential."),
        ("Cooling System", "Leakage including radiator; improperly functioning water pump."),
        ("Electrical System", "Battery leakage; improperly functioning alternator."),
        ("Fuel System", "Visible leakage."),
        ("Inoperable Accessories", "Gauges or warning devices; air conditioner; heater and defroster."),
        ("Brake System", "Failure warning light broken; pedal not firm under pressure (DOT spec.); not enough pedal reserve (DOT spec.); does not stop vehicle in straight line (DOT spec.); hoses damaged; drum or rotor too thin (mfgr. specs.); lining or pad thickness less than 1/32 inch; power unit not operating or leaking; structural or mechanical parts damaged."),
        ("Air Bags", "Inoperable or missing."),
        ("Steering System", "Too much free play at steering wheel (DOT specs.); free play in linkage more than 1/4 inch; steering gear binds or jams; front wheels aligned wrong (DOT specs.); power unit belts cracked or slipping; power unit fluid level improper."),
        ("Suspension System", "Ball joint seals damaged; structural parts bent or damaged; stabilizer bar disconnected; spring broken; shock absorber mounting loose; rubber bushings damaged or missing; radius rod damaged or missing; shock absorber leaking or functioning improperly."),
        ("Tires", "Tread depth less than 2/32 inch; sizes mismatched; visible damage."),
        ("Wheels", "Visible cracks, damage or repairs; mounting bolts loose or missing."),
        ("Exhaust System", "Leakage; catalytic converter missing or inoperable."),
    ],
    "es": [
        ("Chasis y carrocería", "Chasis: fisuras, soldaduras correctivas u oxidado de lado a lado; chasis doblado o torcido."),
        ("Motor", "Pérdida de aceite, excluyendo filtración normal; bloque o tapa de cilindros rajados; correas faltantes o que no funcionan; golpeteo o fallas relacionadas con los levantaválvulas del árbol de levas y las varillas de empuje; emisión anormal del escape."),
        ("Transmisión y eje de transmisión", "Nivel de líquido inadecuado o pérdida, excluyendo filtración normal; caja rajada o dañada que está visible; ruido o vibración anormal causada por transmisión o eje de transmisión defectuoso; cambio de marchas o funcionamiento inadecuado en cualquier marcha; embrague manual que patina o vibra."),
        ("Diferencial", "Nivel de líquido inadecuado o pérdida, excluyendo filtración normal; caja rajada o dañada que está visible; ruido o vibración anormal causada por diferencial defectuoso."),
        ("Sistema de enfriamiento", "Pérdida, incluyendo el radiador; bomba de agua que no funciona adecuadamente."),
        ("Sistema eléctrico", "Pérdida de la batería; alternador que no funciona adecuadamente."),
        ("Sistema de combustible", "Pérdida visible."),
        ("Accesorios que no funcionan", "Indicadores o dispositivos de advertencia; aire acondicionado; calefacción y desempañador."),
        ("Sistema de frenos", "Luz de advertencia de falla rota; pedal que no está firme bajo presión (especificaciones DOT); reserva insuficiente del pedal (especificaciones DOT); no detiene el vehículo en línea recta (especificaciones DOT); mangueras dañadas; tambor o rotor demasiado delgado (especificaciones del fabricante); espesor del forro o de la pastilla menor de 1/32 de pulgada; unidad de potencia que no funciona o pierde; partes estructurales o mecánicas dañadas."),
        ("Bolsas de aire", "No funcionan o faltan."),
        ("Sistema de dirección", "Demasiado juego libre en el volante (especificaciones DOT); juego libre en la articulación de más de 1/4 de pulgada; el mecanismo de dirección se atasca o se traba; ruedas delanteras mal alineadas (especificaciones DOT); correas de la unidad de potencia rajadas o que patinan; nivel de líquido de la unidad de potencia inadecuado."),
        ("Sistema de suspensión", "Sellos de las rótulas dañados; partes estructurales dobladas o dañadas; barra estabilizadora desconectada; resorte roto; montaje del amortiguador flojo; bujes de goma dañados o faltantes; barra radial dañada o faltante; amortiguador que pierde o no funciona adecuadamente."),
        ("Neumáticos", "Profundidad de la banda de rodamiento menor de 2/32 de pulgada; tamaños dispares; daño visible."),
        ("Ruedas", "Fisuras, daños o reparaciones visibles; pernos de montaje flojos o faltantes."),
        ("Sistema de escape", "Pérdida; convertidor catalítico faltante o que no funciona."),
    ],
}  # fmt: skip

TEXT: dict[Language, dict[str, str]] = {
    "en": {
        "title": "BUYERS GUIDE",
        "important": "IMPORTANT: Spoken promises are difficult to enforce. Ask the dealer to put all promises in writing. Keep this form.",
        "make": "VEHICLE MAKE",
        "model": "MODEL",
        "year": "YEAR",
        "vin": "VEHICLE IDENTIFICATION NUMBER (VIN)",
        "stock": "DEALER STOCK NUMBER (Optional)",
        "warranties": "WARRANTIES FOR THIS VEHICLE:",
        "as_is": "AS IS - NO DEALER WARRANTY",
        "as_is_body": "THE DEALER DOES NOT PROVIDE A WARRANTY FOR ANY REPAIRS AFTER SALE.",
        "implied_only": "IMPLIED WARRANTIES ONLY",
        "implied_only_body": 'This means that the dealer does not make any specific promises to fix things that need repair when you buy the vehicle or after the time of sale. But, state law "implied warranties" may give you some rights to have the dealer take care of serious problems that were not apparent when you bought the vehicle.',
        "dealer_warranty": "DEALER WARRANTY",
        "full": "FULL WARRANTY.",
        "limited": "LIMITED WARRANTY.",
        "limited_body": "The dealer will pay {labor}% of the labor and {parts}% of the parts for the covered systems that fail during the warranty period. Ask the dealer for a copy of the warranty, and for any documents that explain warranty coverage, exclusions, and the dealer's repair obligations. Implied warranties under your state's laws may give you even more rights.",
        "systems": "SYSTEMS COVERED:",
        "duration": "DURATION:",
        "non_dealer": "NON-DEALER WARRANTIES FOR THIS VEHICLE:",
        "manufacturer": "MANUFACTURER'S WARRANTY STILL APPLIES. The manufacturer's original warranty has not expired on some components of the vehicle.",
        "manufacturer_used": "MANUFACTURER'S USED VEHICLE WARRANTY APPLIES.",
        "other_used": "OTHER USED VEHICLE WARRANTY APPLIES.",
        "ask_copy": "Ask the dealer for a copy of the warranty document and an explanation of warranty coverage, exclusions, and repair obligations.",
        "service_contract": "SERVICE CONTRACT. A service contract on this vehicle is available for an extra charge. Ask for details about coverage, deductible, price, and exclusions. If you buy a service contract within 90 days of your purchase of this vehicle, implied warranties under your state's laws may give you additional rights.",
        "inspection": "ASK THE DEALER IF YOUR MECHANIC CAN INSPECT THE VEHICLE ON OR OFF THE LOT.",
        "history": "OBTAIN A VEHICLE HISTORY REPORT AND CHECK FOR OPEN SAFETY RECALLS. For information on how to obtain a vehicle history report, visit ftc.gov/usedcars. To check for open safety recalls, visit safercar.gov. You will need the vehicle identification number (VIN) shown above to make the best use of the resources on these sites.",
        "see_other_side": "SEE OTHER SIDE FOR IMPORTANT ADDITIONAL INFORMATION, INCLUDING A LIST OF MAJOR DEFECTS THAT MAY OCCUR IN USED MOTOR VEHICLES.",
        "spanish_notice": "Si el concesionario gestiona la venta en español, pídale una copia de la Guía del Comprador en español.",
        "defects_intro": "Here is a list of some major defects that may occur in used vehicles.",
        "dealer_name": "DEALER NAME",
        "address": "ADDRESS",
        "phone": "TELEPHONE",
        "complaints": "FOR COMPLAINTS AFTER SALE, CONTACT:",
        "footer": "IMPORTANT: The information on this form is part of any contract to buy this vehicle. Removal of this label before consumer purchase (except for purpose of test-driving) violates federal law (16 C.F.R. 455).",
    },
    "es": {
        "title": "GUÍA DEL COMPRADOR",
        "important": "IMPORTANTE: Las promesas verbales son difíciles de hacer cumplir. Solicite al concesionario que ponga todas las promesas por escrito. Conserve este formulario.",
        "make": "MARCA DEL VEHÍCULO",
        "model": "MODELO",
        "year": "AÑO",
        "vin": "NÚMERO DE IDENTIFICACIÓN DEL VEHÍCULO (VIN)",
        "stock": "NÚMERO DE INVENTARIO DEL CONCESIONARIO (Opcional)",
        "warranties": "GARANTÍAS PARA ESTE VEHÍCULO:",
        "as_is": "COMO ESTÁ - SIN GARANTÍA DEL CONCESIONARIO",
        "as_is_body": "EL CONCESIONARIO NO OFRECE NINGUNA GARANTÍA PARA LAS REPARACIONES QUE SE HAGAN DESPUÉS DE LA VENTA.",
        "implied_only": "SÓLO GARANTÍAS IMPLÍCITAS",
        "implied_only_body": 'Esto significa que el concesionario no hace promesas específicas de arreglar lo que requiera reparación cuando usted compra el vehículo o después del momento de la venta. Pero, las "garantías implícitas" de la ley estatal pueden darle a usted algunos derechos para hacer que el concesionario resuelva problemas graves que no fueron evidentes cuando usted compró el vehículo.',
        "dealer_warranty": "GARANTÍA DEL CONCESIONARIO",
        "full": "GARANTÍA TOTAL.",
        "limited": "GARANTÍA LIMITADA.",
        "limited_body": "El concesionario pagará el {labor}% de la mano de obra y el {parts}% de los repuestos de los sistemas cubiertos que fallen durante el período de garantía. Pida al concesionario una copia de la garantía y de cualquier documento que explique la cobertura de la garantía, las exclusiones y las obligaciones de reparación del concesionario. Las garantías implícitas de las leyes de su estado pueden darle a usted más derechos.",
        "systems": "SISTEMAS CUBIERTOS:",
        "duration": "DURACIÓN:",
        "non_dealer": "GARANTÍAS QUE NO SON DEL CONCESIONARIO PARA ESTE VEHÍCULO:",
        "manufacturer": "SE APLICA LA GARANTÍA DEL FABRICANTE. La garantía original del fabricante no ha vencido para algunos componentes del vehículo.",
        "manufacturer_used": "SE APLICA LA GARANTÍA DEL FABRICANTE PARA VEHÍCULOS USADOS.",
        "other_used": "SE APLICA OTRA GARANTÍA PARA VEHÍCULOS USADOS.",
        "ask_copy": "Pida al concesionario una copia del documento de garantía y una explicación de la cobertura de la garantía, las exclusiones y las obligaciones de reparación.",
        "service_contract": "CONTRATO DE SERVICIO. Este vehículo tiene disponible un contrato de servicio a un precio adicional. Pida los detalles sobre la cobertura, el deducible, el precio y las exclusiones. Si usted compra un contrato de servicio dentro de los 90 días de la compra de este vehículo, las garantías implícitas de las leyes de su estado pueden darle derechos adicionales.",
        "inspection": "PREGUNTE AL CONCESIONARIO SI SU MECÁNICO PUEDE INSPECCIONAR EL VEHÍCULO EN EL LOTE O FUERA DEL LOTE.",
        "history": "OBTENGA UN INFORME DEL HISTORIAL DEL VEHÍCULO Y VERIFIQUE SI HAY RETIROS DE SEGURIDAD PENDIENTES. Para obtener información sobre cómo obtener un informe del historial del vehículo, visite ftc.gov/autosusados. Para verificar si hay retiros de seguridad pendientes, visite safercar.gov. Necesitará el número de identificación del vehículo (VIN) que aparece arriba para aprovechar al máximo los recursos de estos sitios web.",
        "see_other_side": "VEA EL OTRO LADO PARA OBTENER INFORMACIÓN ADICIONAL IMPORTANTE, INCLUYENDO UNA LISTA DE DEFECTOS IMPORTANTES QUE PUEDEN OCURRIR EN LOS VEHÍCULOS USADOS.",
        "spanish_notice": "",
        "defects_intro": "A continuación se presenta una lista de algunos defectos importantes que pueden ocurrir en vehículos usados.",
        "dealer_name": "NOMBRE DEL CONCESIONARIO",
        "address": "DIRECCIÓN",
        "phone": "TELÉFONO",
        "complaints": "PARA RECLAMOS DESPUÉS DE LA VENTA, COMUNÍQUESE CON:",
        "footer": "IMPORTANTE: La información contenida en este formulario forma parte de todo contrato de compra de este vehículo. Quitar esta etiqueta antes de la compra por parte del consumidor (excepto para probar el vehículo) es una violación de la ley federal (16 C.F.R. 455).",
    },
}  # fmt: skip
