"""The Spanish twins of the lexicons: the same labels, cues written in Spanish.

Written by hand from the Spanish of customer care, marketing and the Spanish-speaking developer
community (no data set was mined for them). Social media Spanish often drops accents ("que" for
"qué", "como" for "cómo"), so the common words are listed both ways. A text read as Spanish by
the language detector is matched with these only; an English text with the English lexicons.
"""

from __future__ import annotations

from .lexicons import KEY_SHORTCUT, Lexicon, cues, field_words

_ES_NEG = r"(?:no|nunca|ya no|todavía no|todavia no|aún no|aun no|sigue sin|siguen sin|sin)"

COMPLAINT = Lexicon(
    "complaint",
    "Problemas: fallos, retrasos, pérdidas, cobros, mal servicio.",
    words=cues(
        """
        no funciona, no va, no me funciona, ha dejado de funcionar, dejó de funcionar,
        deja de funcionar, se cuelga, se colgó, se bloquea, se cierra sola, falla, fallo, fallos,
        error, errores, caído, caida, caída, se ha caído, sin servicio, sin conexión, sin conexion,
        sin internet, sin luz, sin señal, lento, lentísimo, retraso, retrasado, retrasada,
        cancelado, cancelada, cancelación, perdido, perdida, perdí, extraviado, roto, rota,
        dañado, dañada, equivocado, equivocada, incorrecto, nunca llegó, nunca llego,
        no ha llegado, no me ha llegado, no llega, todavía no, sigo esperando, seguimos esperando,
        esperando, reembolso, devolución, devolucion, me han cobrado, cobrado dos veces, cobro,
        cargo, estafa, estafadores, timo, mentira, mentiras, engaño, nadie responde, nadie contesta,
        sin respuesta, no contestan, no responden, me colgaron, me han colgado, problema,
        problemas, incidencia, queja, reclamación, reclamacion, reclamar, vergüenza, verguenza,
        lamentable, pésimo, pesimo, fatal, horrible, terrible, malísimo, malisimo, penoso,
        inaceptable, indignante, indignado, indignada, harto, harta, hartos, cansado de,
        decepcionado, decepcionada, decepción, decepcion, enfadado, enfadada, molesto, molesta,
        qué vergüenza, que verguenza, de risa, una broma, nunca más, nunca mas, me doy de baja,
        darme de baja, cambiarme a, no puedo, no me deja, no me dejan, imposible, arreglad,
        arreglen, solucionad, solucionen, a ver si, otra vez, de nuevo, cutre, chapuza, basura,
        mierda, una mierda, no sirve, inútil, inutil, abusivo, abuso,
        sigue igual, sigue pasando, sigue fallando, sigue sin, lo mismo, igual que antes,
        no ha cambiado nada, no cambia nada, no hace nada, nada de nada, ya lo he hecho,
        ya lo hice, ya lo he probado, ya lo probé, ya lo probe, ya he probado, ya probé,
        ya probe, he reiniciado, ya reinicié, ya reinicie, ya he reinstalado, no hay manera,
        incorrecto, incorrecta, mal etiquetado, duplicado, duplicada, caducado, caducada,
        podrido, ya no, nope, qué va, que va,
        """
    ),
    patterns=(
        rf"\b{_ES_NEG} (?:\pL+ )?(?:funciona\pL*|llega\pL*|llegó|carga\pL*|conecta\pL*|"
        r"responde\pL*|contesta\pL*|devuelve\pL*|abre\pL*|deja\pL*|sirve\pL*|recib\pL*|"
        r"puedo|puede\pL*|aparece\pL*|va\b|anda\b)",
        r"\b(?:desde hace|hace|llevo|llevamos) (?:más de |mas de )?(?:\d+|un|una|dos|tres|"
        r"varios|varias) (?:minutos|horas|días|dias|semanas|meses)\b",
        # the step asked for is done and did not help: "está actualizado", "tengo la última"
        r"\b(?:ya )?(?:está|esta|están|estan|lo tengo|tengo la app) (?:ya )?actualizad[oa]s?\b",
        r"\btengo la (?:última|ultima) versi(?:ó|o)n\b",
    ),
    lang="es",
)

COMPLAINT_REPORT = Lexicon(
    "complaint_report",
    "Fallos contados sin queja explícita: lo que pasa ('también pasa en el móvil', 'se para', "
    "'sale en gris'), lo que falta ('sigo sin tener mi pedido', 'dice entregado'), un paso probado "
    "que no sirvió ('ninguna de esas funcionó', 'he probado').",
    words=cues(
        """
        sigo sin tener, todavia no tengo, aún no tengo, aun no tengo, no he podido,
        no he sido capaz, nunca he podido, sale en gris, en gris, carga infinita,
        se queda cargando, deja de responder, se para, se detiene, se pausa, deja de sonar,
        se apaga, se me cierra, me cierra la sesión, me cierra la sesion, se desconecta,
        desaparece, desaparecen, desapareció, desaparecio, ha desaparecido, han desaparecido,
        mismo resultado, sin cambios, vuelve a pasar, ha vuelto a pasar, también pasa,
        tambien pasa, me pasa, pasa en, pasa con, a mí también, a mi tambien, dice entregado,
        marcado como entregado, nunca apareció, nunca aparecio, me cobraron, me cobran,
        cobrado de más, cobrado de mas, no suena, sin sonido, sin audio, pantalla negra,
        pantalla en blanco, se comporta raro, hace cosas raras, un desastre, un caos,
        echo de menos, sin mi permiso, sin preguntar, desinstalé y reinstalé,
        desinstale y reinstale, borré y reinstalé, borre y reinstale, desinstalado y reinstalado,
        no aplica, odio, odio que, qué coño, que coño, ninguno funcionó, ninguno funciono,
        ninguno ha funcionado, no lo arregla, no lo ha arreglado, empezó a fallar, empezo a fallar,
        no se quita, se han borrado, se borraron, aunque he pagado, aunque pagué, aunque pague,
        ya he pagado, ya pagué, ya pague, he pagado, se para a mitad, a mitad de canción,
        a mitad de cancion, pone otra canción, pone otra cancion, me cabrea, cabreado, cabreada,
        falso, falsificado, no es de fiar, estúpido, estupido, me fastidia, también en mi,
        tambien en mi, el mío no, el mio no, la mía no, la mia no, a mí no me, a mi no me,
        pero nosotros no, no consigo, no logro, no hay forma de, no encuentro, me redirige,
        me devuelve a, me echa, me ha echado, me expulsa, no está ahí, no esta ahi, tampoco,
        o me voy, o cancelo, no creo que aplique, no aplica en mi caso, todavía nada, todavia nada,
        aún nada, aun nada, ha pasado en todas, ha pasado con, se para del todo, se congeló,
        se congelo, se quedó congelado, se quedo congelado, se quedó colgado, se quedo colgado,
        he probado, probé a, probe a, también probé, tambien probe, incluso probé, incluso probe,
        sin noticias, me dijeron que, me dijisteis que, no es una respuesta, respuesta enlatada,
        es la segunda vez, es la tercera vez, en lugar de la que, en vez de la que, no os importa,
        os da igual, no te importa,
        """
    ),
    patterns=(
        r"\b(?:ninguna|ninguno)\s+de\s+(?:esas|esos|ellas|ellos|las|los)\s+(?:\pL+\s+)?"
        r"(?:funcionó|funciono|sirvió|sirvio|ha\s+funcionado)\b",
    ),
    lang="es",
)

NOT_COMPLAINT = Lexicon(
    "not_complaint",
    "Giros que niegan la queja: se borran antes de contar las quejas.",
    words=cues(
        """
        no pasa nada, sin problema, sin problemas, ningún problema, ningun problema,
        no hay problema, no es problema, no es queja, no me quejo, no está mal, no esta mal,
        nada mal, no me importa, no te preocupes, no os preocupéis, no os preocupeis,
        no lo voy a cancelar, no me voy a dar de baja, no hay prisa, si vuelve a pasar,
        si pasa otra vez, si vuelve a ocurrir, por si vuelve a pasar, si me vuelve a pasar,
        cuando se vuelva a romper, la próxima vez que pase, la proxima vez que pase,
        he hecho lo que he podido,
        me encanta que hayáis, me encanta que hayais, me encanta que tengáis, me encanta que tengais,
        me encanta cómo suena, me encanta como suena,
        """
    ),
    lang="es",
)

COMPLAINT_STRONG = Lexicon(
    "complaint_strong",
    "Quejas que bastan solas.",
    words=cues(
        """
        no funciona, sigo esperando, nunca llegó, nunca llego, no ha llegado, estafa, vergüenza,
        verguenza, lamentable, pésimo, pesimo, inaceptable, indignante, nunca más, nunca mas,
        me doy de baja, pésimo servicio, pesimo servicio, mal servicio, una mierda, decepcionado,
        decepcionada, harto, harta, menuda broma, vaya broma, qué broma, que broma,
        sigo sin tener, no he podido,
        """
    ),
    weight=1.5,
    lang="es",
)

COMPLAINT_WEAK = Lexicon(
    "complaint_weak",
    "Indicios de queja que necesitan compañía.",
    words=cues(
        """
        todavía, todavia, aún, aun, otra vez, de nuevo, siempre, nunca, ya, no, nada, sin,
        por qué, por que, porqué, cómo es posible, como es posible, en serio, se supone,
        supuestamente, pagado, pago, pagando, prometido, prometieron, cuándo, cuando, tercera vez,
        varias veces, cada vez, de repente, sin motivo, por alguna razón, por alguna razon,
        automáticamente, automaticamente, aleatoriamente, raro, rara, joder, hostia, me temo,
        suspiro, qué pena, que pena, qué triste, que triste, ☹, ☹️, 🙁, 😞, 😡, 😠, 🤬, 😤, 😒,
        """
    ),
    patterns=(r"\?!|!\?",),
    weight=0.5,
    lang="es",
)

SARCASM = Lexicon(
    "sarcasm",
    "Agradecimientos sarcásticos.",
    words=cues(
        """
        gracias por nada, muchas gracias por nada, me encanta cómo, me encanta como,
        me encanta que, genial otra vez, genial de nuevo, qué bien otra vez, que bien otra vez,
        vaya servicio, menudo servicio, vaya atención, vaya atencion, menuda atención,
        menuda atencion, enhorabuena por el servicio,
        """
    ),
    # el amor a un fallo: "me encanta perder la conexión", "adoro esperar 40 minutos"
    patterns=(
        r"\b(?:me\s+encanta|adoro)\s+(?:perder|esperar|estar\s+esperando|que\s+me\s+(?:cobren|"
        r"cuelguen|ignoren|desconecten))\b",
    ),
    weight=2.0,
    lang="es",
)

BAD_SUPPORT = Lexicon(
    "bad_support",
    "Quejas de la atención al cliente.",
    words=cues(
        """
        atención al cliente, atencion al cliente, servicio de atención, servicio técnico,
        servicio tecnico, soporte, agente, operador, operadora, teléfono, telefono, llamé, llame,
        llamado, chat, correo, email, nadie responde, nadie contesta, sin respuesta, me colgaron,
        en espera, esperando al teléfono, musiquita,
        """
    ),
    lang="es",
)

QUESTION_START = Lexicon(
    "question_start",
    "Un mensaje que empieza con una palabra interrogativa.",
    patterns=(
        r"^(?:@user\s+|[.,:]\s*)*¿?(?:cómo|como|qué|que tal|por qué|por que|cuándo|cuando|"
        r"dónde|donde|quién|quien|cuál|cual|cuánto|cuanto|cuántos|cuantos|alguien|hay|"
        r"puedo|podéis|podeis|pueden|podrían|podrian|me podéis|me pueden|es posible)(?:\s|$)",
        # una exigencia al empezar: "Devolvedme el dinero", "Arreglad esto"
        r"^(?:@user\s+)*(?:(?:hola|buenas|por favor)\W+)*(?:devolvedme|devuélvanme|devuelvanme|"
        r"arreglad|arreglen|solucionad|solucionen|contestad|contesten|llamadme|llámenme|"
        r"llamenme|escribidme|cancelad|cancelen|revisad|revisen)\b",
    ),
    lang="es",
)

QUESTION = Lexicon(
    "question",
    "Preguntas y peticiones de ayuda.",
    words=cues(
        """
        ayuda, ayudadme, ayúdame, ayudame, necesito, necesitamos, quiero saber, me gustaría saber,
        me gustaria saber, podéis, podeis, pueden, podrías, podrias, me podéis, me pueden,
        alguien sabe, sabéis, sabeis, saben, hay alguna forma, hay forma, es posible, por favor,
        porfa, porfavor, pf, contactad, contacten, llamadme, escribidme, dm, md, mensaje privado,
        cómo puedo, como puedo, dónde puedo, donde puedo, qué hago, que hago, cuándo, cuando llega,
        información, informacion, duda, consulta, pregunta, arreglad, arreglen, solucionad,
        solucionen,
        """
    ),
    patterns=(r"\?", r"¿"),
    lang="es",
)

CANNOT_FOLLOW = Lexicon(
    "cannot_follow",
    "Una respuesta que no puede dar el paso pedido ('no tengo el ticket'): sigue pidiendo ayuda.",
    patterns=(
        r"^(?:@user\s+)*(?:(?:no|lo siento|pues|pero)\W+)*(?:yo )?(?:no puedo|no tengo|"
        r"no me deja|no me llega|no me llegó|no me llego|no encuentro)(?:\s|$)",
    ),
    lang="es",
)

NOT_QUESTION = Lexicon(
    "not_question",
    "Palabras de petición que no piden nada: gracias por la ayuda, aceptar un ofrecimiento.",
    words=cues(
        """
        por la ayuda, por tu ayuda, por vuestra ayuda, por su ayuda, por ayudarme, sí por favor,
        si por favor, claro que sí, cuando quiera, cuando quieras, me ayudó, me ayudo,
        me ha ayudado, me habéis ayudado, me han ayudado, sección de ayuda, página de ayuda,
        centro de ayuda, agradezco la ayuda, agradezco tu ayuda, agradezco vuestra ayuda,
        """
    ),
    # gracias por la ayuda con palabras en medio: "por vuestra rápida y amable ayuda"
    patterns=(r"\bpor\s+(?:la|tu|su|vuestra|toda\s+la)\s+(?:\pL+\s+){1,3}ayuda\b",),
    lang="es",
)

# Una interjección alargada ("jajaja", "jejeje", "oooh", "ayyy", "guauuu", "oleee", "wow").
INTERJECTION = r"\b(?:j+a+(?:j+a+)+|j+e+(?:j+e+)+|o+h+|a+y+|g+u+a+u+|o+l+e+|w+o+w+|u+f+|a+h+)\b"

THANKS = Lexicon(
    "thanks",
    "Agradecimientos.",
    words=cues(
        """
        gracias, muchas gracias, mil gracias, muchísimas gracias, muchisimas gracias, gracias mil,
        te lo agradezco, os lo agradezco, se agradece, agradecido, agradecida, muy agradecido,
        lo agradezco, agradezco la, agradezco mucho, os agradezco, te agradezco,
        muy agradecida, graciaaas, dios te bendiga, bendiciones,
        graciass, grax, gracis, gracias infinitas,
        thanks, thank you, thx, merci, grazie, obrigado, obrigada, danke,
        """
    ),
    # alargados: "graciaaas", "graciasss"
    patterns=(r"\bgracia+s+\b",),
    lang="es",
)

THANKS_FOR = Lexicon(
    "thanks_for",
    "Un gracias que dice por qué: no es una cortesía de cierre.",
    patterns=(r"\b(?:gracias|agradecido|agradecida)(?:\s+\pL+)?(?:\s+\pL+)?\s+por\b",),
    lang="es",
)

THANKS_FILLER = Lexicon(
    "thanks_filler",
    "Palabras que acompañan a un gracias sin añadir nada: gracias y esto solo es un gracias.",
    words=cues(
        """
        muchas, mil, muchísimas, muchisimas, de nuevo, otra vez, una vez más, una vez mas,
        chicos, chicas, equipo, a todos, a todas, majos, majas, de verdad, en serio, por todo,
        oh, ay, jaja, jajaja, x, xx, y, a ti, a vosotros, a usted, amigos, tío, tio, crack,
        también, tambien, enormes, infinitas, de corazón, de corazon, a todos vosotros, guapo,
        guapa, jeje, wow, hala, como siempre,
        """
    ),
    # interjecciones alargadas: "jajaja", "jejeje", "ooh", "ayyy", "guau", "olé"
    patterns=(r"@user", INTERJECTION),
    lang="es",
)

PRAISE = Lexicon(
    "praise",
    "Elogios a la marca, su gente o sus productos.",
    words=cues(
        """
        genial, geniales, increíble, increible, excelente, estupendo, estupenda, maravilloso,
        maravillosa, fantástico, fantastico, buenísimo, buenisimo, me encanta, me encantan,
        me encantó, me encanto, os quiero, os amo, lo mejor, el mejor, la mejor, los mejores,
        sois los mejores, gran trabajo, buen trabajo, muy bien, perfecto, perfecta, rápido,
        rapido, muy amables, amable, atentos, crack, cracks, top, brutal, de lujo, 10/10,
        recomiendo, recomendado, ❤, ❤️, 😍, 🙌, 👏, muy contento, muy contenta, encantado,
        encantada, un placer, de 10, seguid así, seguid asi, sigan así, sigan asi,
        me habéis alegrado el día, me habeis alegrado el dia, sois unos cracks, 💯, 💚, 💙, 💜,
        💛, 🧡, ♥, ♥️, 🥰, 😘, espléndido, espléndida, fenomenal, excepcional, atentísimos,
        atentisimos, superó mis expectativas, supero mis expectativas, superaron mis expectativas,
        muy competentes,
        """
    ),
    lang="es",
)

PRAISE_YOU = Lexicon(
    "praise_you",
    "Elogio dicho a la marca ('sois los mejores', 'vuestro equipo es genial'): elogio aunque "
    "acompañe a una pregunta o una queja.",
    patterns=(
        r"\b(?:sois|eres|es\s+usted|vuestro\s+(?:equipo|servicio|soporte|personal)\s+es|"
        r"tu\s+(?:equipo|servicio)\s+es)\s+(?:(?:muy|los|las|el|la|unos|unas|realmente|siempre)\s+)*"
        r"(?:mejores|mejor|geniales|genial|increíbles|increibles|increíble|increible|cracks|crack|"
        r"maravillosos|maravilloso|estupendos|estupendo|amables|lo\s+mejor|un\s+amor)\b",
    ),
    lang="es",
)

NOT_PRAISE = Lexicon(
    "not_praise",
    "Palabras de elogio que no elogian.",
    words=cues(
        """
        me encantaría, me encantaria, sería genial, seria genial, gracias de antemano,
        agradecería, agradeceria, se agradecería, se agradeceria, os agradecería, sería estupendo,
        seria estupendo, sería perfecto, seria perfecto, no lo recomiendo, no recomiendo,
        nada recomendable, nada amable, poco amable, nada atentos, en el mejor de los casos,
        mejor amigo, mejor amiga, mejores amigos, mejores amigas, canción de amor,
        canciones de amor, 🙃,
        """
    ),
    # un elogio negado: "no es excelente", "no fue tan rápido", "no ha sido muy amable"
    patterns=(
        r"\bno\s+(?:(?:es|está|esta|son|fue|fueron|ha\s+sido|han\s+sido)\s+)?(?:(?:muy|tan|nada|"
        r"demasiado)\s+)?(?:genial|excelente|perfecto|perfecta|rápido|rapido|amable|amables|"
        r"increíble|increible|estupendo|estupenda|bueno|buena)\b",
        # un deseo: "estaría genial que", "habría sido perfecto saberlo"
        r"\b(?:estaría|estaria|sería|seria|habría\s+sido|habria\s+sido)\s+(?:muy\s+)?"
        r"(?:genial|estupendo|perfecto|bien|ideal|útil|util)\b",
        # una concesión cortés antes de lo que importa: "Está genial, pero ..."
        r"\b(?:está|esta|es|suena|eso\s+está|eso\s+esta)\s+(?:muy\s+)?(?:bien|genial|guay|"
        r"estupendo|perfecto)[\s,.!]*(?:pero|aunque|sin\s+embargo)\b",
        # un gracias que lleva al asunto: "Gracias, pero cuando le doy a ..."
        r"^(?:@user\s+)*(?:gracias|te\s+lo\s+agradezco|se\s+agradece)(?:\s+\pL+)?[\s,.!]*"
        r"(?:pero|aunque|sin\s+embargo)\b",
        # el elogio de una canción, un disco o un amigo, no de la marca
        r"\b(?:canción|cancion|canciones|disco|álbum|album|grupo|banda|artista|cantante|serie|"
        r"película|pelicula)\s+(?:favorit[oa]s?|preferid[oa]s?)\b",
        r"\b(?:me\s+encanta|me\s+encantan|adoro)\s+(?:esta|esa|su|sus|este|ese)\s+(?:canción|"
        r"cancion|canciones|disco|álbum|album|grupo|voz|letra|serie|película|pelicula)\b",
    ),
    lang="es",
)

THANKS_FOR_HELP = Lexicon(
    "thanks_for_help",
    "Agradecer algo que hizo la marca (su ayuda, su respuesta) o decir que la ayuda funcionó.",
    patterns=(
        r"\bgracias(?:\s+(?:a\s+todos|a\s+todas|de\s+nuevo|otra\s+vez|chicos|chicas|equipo|mil))*"
        r"\s+por\s+(?:(?:la|tu|su|vuestra|el|vuestro|tanta)\s+)?"
        r"(?:(?:rápida|rapida|pronta)\s+)?"
        r"(?:ayuda|ayudarme|atención|atencion|solución|solucion|resolverlo|arreglarlo|tiempo|"
        r"esfuerzo|paciencia)",
        r"\b(?:eso|esto|ya)\s+(?:me\s+)?(?:sirvió|sirvio|funcionó|funciono|funciona)",
        r"\bme\s+(?:ha|has|habéis|han)\s+(?:servido|ayudado)\b",
    ),
    lang="es",
)

THANKS_FOR_REPLY = Lexicon(
    "thanks_for_reply",
    "Gracias por una respuesta: elogio solo si no se pide ni se queja de nada.",
    patterns=(
        r"\bgracias(?:\s+(?:a\s+todos|a\s+todas|de\s+nuevo|otra\s+vez|chicos|chicas|equipo|mil))*"
        r"\s+por\s+(?:(?:la|tu|su|vuestra|el|vuestro)\s+)?"
        r"(?:(?:rápida|rapida|pronta)\s+)?"
        r"(?:respuesta|responder|contestar|info|información|informacion|la\s+info)",
    ),
    lang="es",
)

HELP_WORKED = Lexicon(
    "help_worked",
    "Que el fallo ya no está: ya funciona, vuelve a funcionar, todo bien.",
    patterns=(
        r"\bya (?:me )?(?:funciona|va|anda|está solucionado|esta solucionado|está arreglado|"
        r"esta arreglado|está resuelto|esta resuelto|lo tengo|está|esta bien)\b",
        r"\b(?:vuelve|volvió|volvio) a funcionar\b",
        r"\bfunciona (?:de nuevo|otra vez|perfectamente|bien)\b",
        r"\btodo (?:bien|correcto|solucionado|arreglado|resuelto)\b",
        r"\bsolucionado\b",
        # "ha funcionado", "eso lo arregló", "por fin puedo", "mano de santo"
        r"\b(?:ha|han|me ha|me han)\s+funcionado\b",
        r"\b(?:eso|esto)\s+(?:lo\s+)?(?:arregló|arreglo|solucionó|soluciono|resolvió|resolvio)\b",
        r"\b(?:se|lo)\s+(?:ha|he|hemos)\s+(?:solucionado|arreglado|resuelto)\b",
        r"\b(?:por fin|ahora sí|ahora si|ya sí|ya si)\s+(?:me\s+)?(?:puedo|funciona|va)\b",
        r"\bmano de santo\b",
        r"\bya\s+(?:está|esta)\s+(?:arreglado|solucionado|resuelto)\b",
        r"\b(?:el\s+)?problema\s+(?:se\s+ha|está|esta|quedó|quedo|ya\s+está|ya\s+esta)\s+"
        r"(?:resuelto|solucionado|arreglado)\b",
        r"\bahora\s+(?:ya\s+|sí\s+|si\s+)?(?:funciona|va\s+bien|me\s+deja)\b",
        r"\b(?:sí|si)\s+(?:ha\s+)?(?:funcionó|funciono|funcionado)\b",
        # "por fin se completó", "ya pasó el pago"
        r"\b(?:por\s+fin|ya)\s+(?:se\s+)?(?:completó|completo|pasó\s+el\s+pago|paso\s+el\s+pago)\b",
        # "reiniciar lo arregló", "actualizar lo solucionó"
        r"\b(?:reiniciar|reinstalar|actualizar|reiniciarlo|reinstalarla|reinstalarlo|borrar\s+la\s+"
        r"cach(?:é|e))\s+lo\s+(?:arregló|arreglo|solucionó|soluciono|resolvió|resolvio)\b",
        # "ha sido resuelto", "ya ha sido solucionado"
        r"\b(?:ya\s+)?(?:ha|han)\s+sido\s+(?:resuelto|solucionado|arreglado)s?\b",
        # "empezó a funcionar", "parece que ya funciona", "lo he solucionado", "ya está bien"
        r"\b(?:empezó|empezo|empieza|comenzó|comenzo)\s+a\s+funcionar\b",
        r"\bparece\s+(?:que\s+)?(?:ya\s+)?(?:funciona|va\s+bien|resuelto|solucionado|"
        r"arreglado|se\s+ha\s+(?:solucionado|arreglado|resuelto))\b",
        r"\b(?:lo|ya\s+lo)\s+(?:he\s+)?(?:solucioné|solucione|solucionado|arreglé|arregle|"
        r"arreglado|resolví|resolvi|resuelto)\b",
    ),
    lang="es",
)

HELP_FAILED = Lexicon(
    "help_failed",
    "La ayuda no funcionó: cada una resta un agradecimiento por la ayuda.",
    patterns=(
        r"\b(?:no|nada|sigue sin|todavía no|todavia no|aún no|aun no)\s+(?:me\s+)?"
        r"(?:ha\s+)?(?:funciona\pL*|sirv\pL*|ayud\pL*|solucion\pL*|arregl\pL*|va\b)",
    ),
    lang="es",
)

ACKNOWLEDGEMENT = Lexicon(
    "acknowledgement",
    "Respuestas que cierran la conversación.",
    patterns=(
        r"^(?:@user\s+)*(?:ok|vale|de acuerdo|perfecto|genial|entendido|hecho|listo|claro|sí|si|"
        r"va|venga)\b[\s,.!:)-]*(?:gracias)?",
        r"\b(?:lo haré|lo hare|lo pruebo|lo probaré|lo probare|ya lo hice|ya está hecho|"
        r"ya esta hecho|te lo envío|te lo envio|te lo he enviado|te escribo|os escribo|"
        r"quedo a la espera|espero|crucemos los dedos|ya lo miro)\b",
        # un paso hecho en dos palabras: "Gracias, enviado", "te he mandado un MD"
        r"(?:^|[.!,:;]\s*|\bgracias\s+)(?:@user\s+)*(?:(?:ya|te|os|lo|he|ya\s+te|te\s+he|os\s+he)\s+)*"
        r"(?:enviado|mandado|envié|envie|mandé|mande|escrito)(?:\s+(?:un|el|por))?(?:\s+(?:md|dm|"
        r"mensaje|privado|correo|email))?\s*(?:[.!,:;)]|$|ahora|ya)",
        r"(?:^|[.!,:;]\s*|\bgracias\s+)(?:@user\s+)*(?:md|dm|mensaje|correo)\s+enviado\b",
    ),
    lang="es",
)

CARE_REPLY = Lexicon(
    "care_reply",
    "Respuestas de la marca a un cliente.",
    words=cues(
        """
        sentimos, lo sentimos, lamentamos, disculpa, disculpas, disculpe, perdona las molestias,
        perdón por, perdon por, siento las molestias, las molestias, escríbenos, escribenos,
        envíanos, envianos, mándanos, mandanos, por md, por dm, mensaje privado, te ayudamos,
        podemos ayudarte, estamos revisando, lo revisamos, lo estamos mirando, nuestro equipo,
        gracias por escribirnos, gracias por contactar, gracias por tu paciencia, número de pedido,
        numero de pedido, correo electrónico, prueba a, reinicia, vuelve a instalar, cierra sesión,
        ¿nos cuentas, nos cuentas, cualquier cosa, aquí estamos, aqui estamos, un saludo,
        saludos, quedamos atentos,
        """
    ),
    lang="es",
)

# (the verbs "participa", "gana" alone are everyday words: "Mi manager participa en los ciclos
# de oncall"; only their contest phrases are cues)
GIVEAWAY = Lexicon(
    "like_bait",
    "Sorteos y concursos.",
    words=cues(
        """
        sorteo, sorteamos, #sorteo, concurso, #concurso, ganador, ganadora, ganadores, premio,
        premios, para participar, síguenos y, siguenos y, rt y,
        participa y, participa en el sorteo, y gana, gana un, gana una, para ganar,
        puedes ganar, podéis ganar, podeis ganar,
        retuitea, comparte y, menciona a, etiqueta a, dale like, dale me gusta,
        """
    ),
    weight=1.5,
    lang="es",
)

PROMOTION = Lexicon(
    "promotion",
    "Vender: ofertas, precios, descuentos, llamadas a comprar.",
    words=cues(
        """
        oferta, ofertas, descuento, descuentos, rebajas, promoción, promocion, código promocional,
        codigo promocional, cupón, cupon, compra ya, cómpralo, compralo, reserva ya, reserva tu,
        consigue el tuyo, consigue tu, precio, precios, desde solo, por solo, envío gratis,
        envio gratis, gratis hasta, solo hoy, últimos días, ultimos dias, última oportunidad,
        ultima oportunidad, no te lo pierdas, suscríbete, suscribete, apúntate, apuntate,
        inscríbete, inscribete, entradas, plazas limitadas, prueba gratis, en venta, a la venta,
        tienda online, link en bio, al mes, /mes,
        """
    ),
    patterns=(
        r"[$£€]\s?\d",
        r"\d\s?(?:€|euros|usd|dólares|dolares)",
        r"\b\d{1,2}\s?% de descuento",
    ),
    lang="es",
)

CALL_TO_BUY = Lexicon(
    "call_to_buy",
    "Una llamada a comprar o una oferta (lo que hace vender el post de una persona).",
    words=cues(
        """
        compra ya, cómpralo, compralo, reserva ya, reserva tu, consigue el tuyo, consigue tu,
        código promocional, codigo promocional, cupón, cupon, descuento, descuentos, rebajas,
        envío gratis, envio gratis, solo hoy, últimos días, ultimos dias, última oportunidad,
        ultima oportunidad, no te lo pierdas, suscríbete, suscribete, apúntate, apuntate,
        inscríbete, inscribete, plazas limitadas, prueba gratis, a la venta, en venta,
        tienda online, link en bio,
        """
    ),
    patterns=(r"\b\d{1,2}\s?% de descuento",),
    lang="es",
)

EXPERTISE = Lexicon(
    "expertise",
    "Enseñar y aconsejar.",
    words=cues(
        """
        como hacer, cómo hacer, cómo usar, como usar, cómo he, cómo hemos, así es como,
        asi es como, aquí os cuento, tutorial, guía, guia, consejo, consejos, truco, trucos,
        truquillo, truquillos, paso a paso, aprende, aprendí, aprendi, lo que he aprendido,
        lecciones, sabías que, sabias que, til, hilo:, hilo sobre, un hilo, en forma de hilo,
        este hilo, 🧵, resumen, explicado, explicación, explicacion, explicando, explico,
        te explico, lo explica, explica, estrategia, estrategias, depurar, depuración,
        os explico, por qué, buenas prácticas, buenas practicas, errores, evitar, ejemplo,
        ejemplos, documentación, documentacion, rendimiento, optimización, optimizacion, optimizar,
        acelerar, acelerado, índice, indice, indexando, métrica, metrica,
        métricas, metricas, producción, produccion, en producción, monitorización,
        monitorizacion, se puede usar, puedes usar, te permite, permite, sirve para, útil, util,
        post sobre, blog post, escrito un, he escrito, cuenta cómo,
        """
    ),
    patterns=(
        r"\b\d+ (?:formas|consejos|pasos|cosas|errores|razones|ideas|lecciones|trucos)\b",
        KEY_SHORTCUT,
        # "Cómo pasar ...", "cómo optimizamos ...": how to, or how we did it (not a question
        # that opens with "¿")
        r"(?:^|[\s:(])cómo\s+\(?\pL+(?:ar|er|ir|amos|emos|imos)\b",
    ),
    lang="es",
)

ENGAGEMENT = Lexicon(
    "engagement",
    "Preguntas y conversación con la audiencia.",
    words=cues(
        """
        qué opináis, que opinais, qué pensáis, que pensais, cuál es vuestro, cual es vuestro,
        cuál es la vuestra, cual es la vuestra, cuál es el vuestro, cual es el vuestro,
        cuáles son los vuestros, y vosotros?, y vosotras?, ¿y vosotros, ¿y tú?, y tú?,
        alguien sabe, quién sabe, quien sabe, sabéis, sabeis, conocéis, conoceis, qué os parece,
        que os parece, alguien conoce, alguien ha, recomendaciones?, me recomendáis, me recomendais,
        cuál preferís, cual preferis, contadnos, cuéntanos, cuentanos, os leo, encuesta, votad,
        buenos días, buenos dias, feliz lunes, feliz viernes, buen finde, felicidades,
        enhorabuena, merecido, merecidísimo, bien merecido, gracias por compartir,
        qué grande, que grande, crack, ánimo, animo, suerte, gm, chapó, chapeau, olé,
        """
    ),
    patterns=(
        r"^¿[^?]*\?",
        # a sincere question for the followers' help further on ("... ¿alguien usa ...?")
        r"¿\s*(?:alguien|hay alg[uú]n|hay alguna|conoc[eé]is|sab[eé]is|us[aá]is|qu[eé] us[aá]is|"
        r"me recomend[aá]is)\s[^?]*\?",
    ),
    weight=1.2,
    lang="es",
)

LAUGHTER = Lexicon(
    "laughter",
    "Risas (jaja, xD): conversación en una respuesta a alguien, ningún tipo en un post propio.",
    words=cues("jaja, jajaja, jajajaja, xd"),
    patterns=(r"\b(?:ja){4,}\b",),
    weight=1.2,
    lang="es",
)

AGREEMENT = Lexicon(
    "agreement",
    "Acuerdo (exacto, yo también): conversación en una respuesta, ningún tipo en un post propio.",
    words=cues("exacto, totalmente, claro que sí, claro que si, tal cual, yo también, yo tambien"),
    weight=1.2,
    lang="es",
)

PERSONAL = Lexicon(
    "personal",
    "La vida privada del autor.",
    words=cues(
        """
        mi mujer, mi marido, mi pareja, mis hijos, mi hijo, mi hija, mi madre, mi padre,
        mi familia, mi novia, mi novio, mi perro, mi gato, mi cumple, mi cumpleaños, vacaciones,
        de vacaciones, finde, fin de semana, playa, boda, aniversario, cena, comida, almuerzo,
        desayuno, café, cerveza, vino, paella, tortilla, tupper, resaca, cansado, cansada,
        dormir, sueño, alarma, mañana libre, día libre, dia libre, cumpleaños, fútbol, futbol,
        partido, música, musica, canción, cancion, concierto, peli, película, pelicula, libro,
        viaje, viajando, tiempo libre, calor, frío, frio, lluvia, familia, amigos, gilipollas,
        escuchando, elecciones, votos, votar, política, politica, gobierno,
        """
    ),
    lang="es",
)

ANNOUNCEMENT = Lexicon(
    "announcement",
    "Noticias de la cuenta.",
    words=cues(
        """
        anunciamos, os presentamos, presentamos, lanzamos, hemos lanzado, ya disponible,
        ya está disponible, ya esta disponible, ya está aquí, ya esta aqui, nueva versión,
        nueva version, nuevo post, nueva funcionalidad, he añadido, hemos añadido, he publicado,
        hemos publicado, estrenamos, inauguramos, abrimos, cerrado, cerramos, contratamos,
        estamos contratando, buscamos, ofertas de empleo, evento, charla, mi charla, ponencia,
        meetup, webinar, en directo, mañana estaré, hoy estaré, os espero, 0/100, 1/100,
        estoy escribiendo, nueva sección, nueva seccion, nuevo artículo, nuevo articulo,
        tendrá lugar, me uno a, empiezo en, nuevo trabajo, restablecido, restablecida,
        retrasos, suspendido, suspendida, reabierto, reabierta, afectado, afectada,
        ya puedo, por fin, hito, aviso, incidencia en, mantenimiento, he creado, hemos creado,
        he montado, he construido, os presento, he hecho, he desarrollado, he programado,
        mi proyecto, mi nuevo proyecto, proyecto personal, proyecto paralelo, he analizado,
        hemos analizado, hemos hecho, he automatizado, he visualizado,
        acabo de publicar, mi último, mi última, ha anunciado, han anunciado,
        """
    ),
    patterns=(r"^\W*🚀",),
    weight=0.8,
    lang="es",
)

FIELD_ES = Lexicon(
    "field",
    "El vocabulario del software y los datos (las mismas palabras técnicas, más las españolas).",
    words=(
        *field_words(),
        *cues(
            """
            programar, programo, programando, programación, programacion, código, codigo,
            desarrollo, desarrollador, desarrolladores, datos, base de datos, consulta,
            consultas, servidor, despliegue, despliegues, pruebas, test, tests, testing,
            analítica, analitica, mergear, commitear, deployar, pipeline, repositorio, repo,
            algoritmo, algoritmos, función, funciones, librería, librerías, libreria, librerias,
            navegador, navegadores, depurar, depuración, depuracion, compilar, desplegar,
            línea de comandos, linea de comandos, entorno de desarrollo, lenguaje de programación,
            servidores, bases de datos, tabla, tablas, columna, columnas, visualización,
            visualizacion, visualizaciones, dashboard, mapa, mapas, comando, comandos,
            """
        ),
    ),
    weight=0.6,
    lang="es",
)

FIRST_PERSON = Lexicon(
    "first_person",
    "Frases que empiezan con yo o mi.",
    patterns=(r"(?:^|[.!?]\s+)(?:yo|mi|mis|me)\b",),
    weight=0.4,
    lang="es",
)

SPANISH: dict[str, Lexicon] = {
    lex.name: lex
    for lex in (
        COMPLAINT,
        COMPLAINT_REPORT,
        COMPLAINT_STRONG,
        COMPLAINT_WEAK,
        SARCASM,
        NOT_COMPLAINT,
        BAD_SUPPORT,
        QUESTION_START,
        QUESTION,
        NOT_QUESTION,
        CANNOT_FOLLOW,
        THANKS,
        PRAISE,
        PRAISE_YOU,
        NOT_PRAISE,
        THANKS_FOR,
        THANKS_FILLER,
        THANKS_FOR_HELP,
        THANKS_FOR_REPLY,
        HELP_WORKED,
        HELP_FAILED,
        ACKNOWLEDGEMENT,
        CARE_REPLY,
        GIVEAWAY,
        PROMOTION,
        EXPERTISE,
        ENGAGEMENT,
        PERSONAL,
        ANNOUNCEMENT,
        FIELD_ES,
        FIRST_PERSON,
        LAUGHTER,
        AGREEMENT,
        CALL_TO_BUY,
    )
}
