"""The filters that drop what trafilatura lets through and is no part of the article.

Service lines (share/follow/subscribe/newsletter/cookie/copyright/paywall), "read more" and
related-story teasers and the sections they head, bylines and datelines, photo credits, link-dense
short paragraphs among others like them, widget leftovers at the article's edges, duplicate
paragraphs; captions are marked. The patterns cover English, Spanish, French, Portuguese, Russian
and German.
"""
from __future__ import annotations

import re

from .blocks import Block, norm, word_count

__all__ = ["boilerplate_reason", "filter_blocks"]

# a teaser line: "Read more: <other story>", "Lea también: ...", "À lire aussi »", ...
_TEASER_PHRASES = (
    r"^\W{0,3}(?:read (?:more|also|next)|also read|see also|more from|related(?: stor(?:y|ies)| articles?| coverage)?|"
    r"recommended(?: for you)?|further reading|you (?:may|might) (?:also )?(?:like|be interested)|don'?t miss|"
    r"watch|listen|trending|most (?:read|popular)|editor'?s picks?|"
    r"lea (?:también|tambien|además|más|mas|aquí|aqui)|lea|le puede interesar|(?:también )?puedes? leer|"
    r"(?:te |le )?recomendamos|te puede interesar|puede interesarte|"
    r"(?:tambi[eé]n )?(?:te |le )?(?:puede|podr[ií]a) interesar|vea (?:también|tambien|además)|"
    r"ver (?:también|tambien|más)|"
    r"mira|mire|puedes ver|lee (?:también|tambien|además|más)|relacionad[oa]s?|notas? relacionadas?|"
    r"contenido relacionado|art[ií]culos? relacionados?|noticias relacionadas|temas relacionados|"
    r"[àa] lire (?:aussi|également|egalement)|lire aussi|lire la suite|voir aussi|sur le même sujet|"
    r"leia (?:também|tambem|mais)|veja (?:também|tambem|mais)|saiba mais|assista|"
    r"читайте (?:также|еще|ещё)|смотрите также|по теме|"
    r"lesen sie (?:auch|mehr)|mehr zum thema|siehe auch|auch interessant|"
    r"leggi anche|vedi anche)")
_TEASER = re.compile(_TEASER_PHRASES + r"\s*(?:[:»>|\-–—]|\.\.\.|…)")
_TEASER_START = re.compile(_TEASER_PHRASES + r"\b")  # a short line that starts so
_TEASER_HEADING = re.compile(
    r"^\W{0,3}(?:related(?: (?:stories|articles|posts|content|coverage|news|reading|topics))?|more (?:stories|news|"
    r"from|on|in|like this|to read|articles)\b.*|read (?:more|next|also)|recommended(?: for you| stories| reading)?|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)\b.*|further reading|popular(?: now| stories| posts)?|"
    r"most (?:read|popular|viewed|shared)|trending(?: now| stories)?|latest(?: news| stories| posts| articles)?|"
    r"top stories|editor'?s picks?|also (?:on|in|read)\b.*|what to read next|tags?|topics?|categories|filed under|"
    r"related (?:articles|stories|posts|content|coverage|news)\b.*|"
    r"more (?:stories|news|articles) (?:from|on|in|about)\b.*|"
    r"otras noticias\b.*|m[aá]s le[ií]d[ao]s\b.*|m[aá]s noticias\b.*|seguir leyendo|sigue leyendo|"
    r"plus d'articles\b.*|les plus lus\b.*|mais not[ií]cias\b.*|leia mais\b.*|"
    r"share(?: this(?: article| story| post)?)?|comments?|leave a (?:comment|reply)|newsletter|sign up\b.*|"
    r"notas? relacionadas?|noticias relacionadas|contenido relacionado|art[ií]culos? relacionados?|"
    r"temas?(?: relacionados)?|etiquetas|lo m[aá]s (?:le[ií]do|visto|popular)|m[aá]s (?:noticias|le[ií]das?|"
    r"sobre\b.*|de\b.*)|te puede interesar|le puede interesar|tambi[eé]n te puede interesar|[uú]ltimas noticias|"
    r"comentarios|compartir|sur le m[eê]me sujet|[àa] lire aussi|lire aussi|les plus lus|dans la m[eê]me rubrique|"
    r"voir aussi|partager|commentaires?|mots[- ]cl[eé]s|"
    r"leia tamb[eé]m|veja tamb[eé]m|saiba mais|mais lidas|not[ií]cias relacionadas|mat[eé]rias relacionadas|"
    r"coment[aá]rios|"
    r"compartilhe|"
    r"читайте также|по теме|популярное|комментарии|"
    r"das k[oö]nnte sie auch interessieren|mehr zum thema|meistgelesen|kommentare)\W{0,3}$")
# service lines: subscribe/follow/share/newsletter/cookie/paywall/ads/disclosure/donation appeals.
# Strong cues are phrases no article sentence uses (a paragraph of up to 45 words goes); weak cues
# are single words that news also uses ("newsletter", "subscribe"): only short lines go.
_SERVICE_STRONG = re.compile(
    r"\b(?:sign(?:ing)? up (?:for|to|here|now|today)|subscribe (?:now|today|here|to (?:our|the|read|continue|get))|"
    r"already (?:a )?subscriber|become a (?:subscriber|member|patron|supporter)|subscribers? only|"
    r"unsubscribe|(?:our|daily|weekly|free) newsletters?|newsletter (?:sign|today|and)|"
    r"log ?in (?:to|for|here)|sign in (?:to|here)|register (?:now|here|for free)|create (?:an|your) (?:free )?account|"
    r"follow (?:us|me)\b|follow @|follow (?:the )?[\w. ]{1,40} on (?:twitter|facebook|instagram|x|linkedin|tiktok)|"
    r"(?:find|join|like) us on|share (?:this|on (?:facebook|twitter|whatsapp|linkedin))|click here|"
    r"download (?:the|our) (?:[\w.]+ )?apps?|cookie (?:policy|settings|preferences)|(?:use|uses|accept) cookies|"
    r"privacy policy|terms of (?:use|service)|advertise with|(?:our|from) advertisers|advertiser disclosure|"
    r"affiliate (?:links?|commission)|we (?:may )?(?:earn|receive) (?:a )?(?:commission|compensation)|"
    r"letters? to the editor|send us (?:a|your) (?:message|tip|story|letter)|contact us|donate (?:now|today|here)|"
    r"support (?:independent|our) journalism|support us|to (?:view|read) the full story|for the full story|"
    r"continue reading|keep reading|read the full (?:story|article)|(?:estimated )?reading time|\d+ min(?:ute)?s? read|"
    r"tiempo de lectura|temps de lecture|tempo de leitura|cancel (?:anytime|at any time)|cancela cuando quieras|"
    r"apoya (?:el|nuestro) periodismo|soutenez (?:notre|le) journalisme|apoie o jornalismo|clic (?:aquí|aqui|acá)|"
    r"haga clic|haz clic|cliquez ici|clique aqui|m[aá]s informaci[oó]n (?:en|sobre)|"
    r"this story (?:was|is) (?:originally )?(?:published|produced) by|"
    r"suscr[ií]b(?:e|ete|ase|irse)\b|suscripci[oó]n|s[ií]guenos|[uú]nete (?:a|al|desde|en)|reg[ií]strate|"
    r"inicia sesi[oó]n|"
    r"nuestro bolet[ií]n|hazte (?:miembro|socio)|canal de (?:youtube|telegram|whatsapp)|descarga (?:la|nuestra) app|"
    r"abonnez-vous|(?:d[ée]j[àa] )?abonn[ée]s? (?:au|à)|votre abonnement|inscrivez-vous|suivez-nous|partagez (?:cet|l)|"
    r"pour lire la suite|pour acc[ée]der (?:à|en|aux)|pour continuer (?:à|a) lire|cr[ée]ez votre compte|"
    r"connectez-vous|d[ée]j[àa] un compte|offre d[ée]couverte|already have an account|"
    r"(?:ya )?tienes una cuenta|j[áa] tem (?:uma )?conta|"
    r"assine (?:já|agora|o|a)|j[áa] (?:é|sou) assinante|inscreva-se|siga[- ]nos|"
    r"подпишитесь|подписывайтесь|подписаться на|"
    r"abonnieren sie|folgen sie uns|jetzt abonnieren)")
_SERVICE_WEAK = re.compile(
    r"\b(?:subscribe|subscription|subscribers?|newsletters?|sign up|log ?in|sign in|register|donate|sponsored|"
    r"advertisement|cookies|whatsapp|telegram|instagram|twitter|facebook|youtube|"
    r"suscr[ií]bete|bolet[ií]n|publicidad|newsletter|abonnez|abonnement|publicit[ée]|assine|assinante|"
    r"подписк|реклама|werbung|anzeige)\b")
_COPYRIGHT = re.compile(r"^\W{0,2}(?:©|\(c\)\s*\d{4}|copyright\b)|all rights reserved|derechos reservados|"
                        r"droits r[ée]serv[ée]s|direitos reservados|права защищены|rechte vorbehalten|"
                        r"copyrighted property|without (?:the )?(?:express )?(?:written )?permission")
# photo credits and captions
_CREDIT = re.compile(
    r"^\W{0,2}(?:photo(?:graph)?s?|images?|pictures?|credits?|illustrations?|video|foto(?:graf[ií]a)?s?|"
    r"imagen|im[aá]genes|cr[ée]dits?(?: photos?)?|image illustrative|fuente|source|cortes[ií]a|courtesy|"
    r"file photo|getty images|ap photo)\b(?:\s*\([^()]{0,20}\))?\s*(?:by|de|:|/|©|-|–)")
_CAPTION_TAIL = re.compile(
    r"[(\[](?:[^()\[\]]{0,80}\b(?:photos?|fotos?|pictures?|pic|images?|imagen|video|file|cr[ée]dit|credit|getty|afp|reuters|ap|efe|"
    r"archivo|file|cortes[ií]a|courtesy|shutterstock|istock|bestimage|dpa|epa)\b[^()\[\]]{0,80})[)\]]\.?$")
_CAPTION_CLASS = re.compile(r"caption|credit|legend|leyenda|legende|pie-?de-?foto|photo-?desc|image-?desc")
_BOILER_CLASS = re.compile(
    r"\b(?:share|social|newsletter|subscribe|related|promo|advert|sponsor|byline|breadcrumb|cookie|paywall)")
_BYLINE = re.compile(r"^(?:by|por|par|von|от|written by|reported by|escrito por|texto de|texte de)\s*:?\s+"
                     r"[\w.'’\-]+(?:\s+[\w.'’\-]+){0,5}$"
                     r"|^(?:(?:article|story|post) )?(?:published|updated|posted|last (?:modified|updated)|"
                     r"latest update|"
                     r"publicado|actualizado|publi[ée]|cr[ée]{2}|created|"
                     r"mis à jour|atualizado|опубликовано|обновлено|release date|news date|fecha)\b.{0,80}$")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
          r"septiembre|setiembre|octubre|noviembre|diciembre|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|"
          r"ao[uû]t|septembre|octobre|novembre|d[ée]cembre|janeiro|fevereiro|mar[cç]o|maio|junho|julho|"
          r"setembro|outubro|novembro|dezembro|januar|februar|m[äa]rz|juni|juli|oktober|dezember)\.?")
_DATE_LINE = re.compile(
    r"^\W*(?:[^\W\d_]+\.?,?\s+){0,2}(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    rf"\d{{1,2}}\.?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}})"
    r"(?:\W{1,4}(?:at\s+|a las\s+|à\s+|às\s+)?\d{1,2}[:h.]\d{2}(?:\s*[ap]\.?m\.?|\s*h(?:rs)?)?(?:\s+\w{2,5})?)?\W*$")
# "PUBLISHED: November 8, 2023 at 4:56 p.m. | UPDATED: ...", "by Jane Doe November 8, 2023 | 6:03 pm"
_DATELINE = re.compile(r"^\W{0,2}(?:(?:article|story|post) )?(?:published|updated|posted|last (?:modified|updated)|"
                       r"latest update|publicado|actualizado|cr[ée]{2}|created|written by|"
                       r"publi[ée]|mis à jour|atualizado|опубликовано|обновлено|by|por|par)\b")
_HAS_DATE = re.compile(rf"\b\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|"
                       rf"\b{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\b\d{{1,2}}\.?\s+(?:de\s+)?{_MONTH}\b")
_SOCIAL_WORD = re.compile(r"^(?:share|tweet|email|e-mail|print|imprimir|compartir|partager|facebook|twitter|"
                          r"whatsapp|linkedin|pinterest|telegram|reddit|copy link|copiar enlace|advertisement|"
                          r"publicidad|publicit[ée]|anuncio|реклама|werbung|anzeige|comments?|\d+ comments?|reply|"
                          r"responder|r[ée]pondre|menu|search|home|inicio|accueil|back to top|volver arriba|"
                          r"cerrar|close|fermer|loading\.*|cargando\.*|chargement\.*)\W*$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_URLISH = re.compile(r"^\S+@\S+\.\w+$|^(?:https?://|www\.)\S+$")


def _link_dense(b: Block) -> bool:
    """A short paragraph that is (nearly) all link: a teaser headline, a menu entry, a tag."""
    if b.kind in ("code", "table_cell") or _URLISH.match(b.text):
        return False
    return word_count(b.text) <= 25 and b.link_chars >= 0.75 * len(b.text.replace(" ", ""))


def boilerplate_reason(b: Block) -> str:
    """Why a paragraph is no part of the article ("" when it is): service lines, teasers, credits."""
    text = b.text
    n = word_count(text)
    low = text.lower()  # the patterns are lower-case: case-blind matching is 4 times slower
    if n > 45:  # running text: only a teaser made of links goes
        return "teaser" if _TEASER.match(low) and b.link_chars >= 0.5 * len(text) else ""
    if n <= 3 and _SOCIAL_WORD.match(low):
        return "social"
    if _TEASER.match(low) and (n <= 40 or b.link_chars >= 0.5 * len(text)):
        return "teaser"
    if n <= 8 and _TEASER_START.match(low):
        return "teaser"
    if n <= 12 and _TEASER_HEADING.match(low):
        return "section"
    if n <= 45 and _COPYRIGHT.search(low):
        return "copyright"
    if n <= 45 and _SERVICE_STRONG.search(low):
        return "service"
    if n <= 15 and _SERVICE_WEAK.search(low) and not text.endswith((".", "?", "!", '"', "”", "»")):
        return "service"
    if n <= 20 and _CREDIT.match(low):
        return "credit"
    if b.kind != "code" and n <= 10 and _BYLINE.match(low) and not text.endswith((".", "!", "?")):
        return "byline"
    if b.kind != "code" and n <= 30 and _DATELINE.match(low) and _HAS_DATE.search(low):
        return "byline"
    if b.kind != "code" and n <= 12 and _DATE_LINE.match(low):
        return "date"
    if n <= 15 and "@" in low and _EMAIL.search(low) and _HAS_DATE.search(low):
        return "byline"
    if b.cls and n <= 40 and _BOILER_CLASS.search(b.cls.lower()):
        return "class"
    if n <= 3 and _link_dense(b):
        return "links"
    return ""


def _is_caption(b: Block) -> bool:
    if b.cls and _CAPTION_CLASS.search(b.cls.lower()):
        return True
    return word_count(b.text) <= 60 and _CAPTION_TAIL.search(b.text.lower()) is not None


def filter_blocks(blocks: list[Block]) -> list[Block]:
    """Drop boilerplate paragraphs, cut related-story sections, mark captions, drop duplicates.

    A link-dense short paragraph goes when it stands among others like it or among boilerplate
    (a teaser list, a menu) or ends the text; alone inside the article it stays."""
    reasons = [boilerplate_reason(b) for b in blocks]
    dense = [_link_dense(b) for b in blocks]
    last = len(blocks) - 1
    for i in range(len(blocks)):
        if dense[i] and not reasons[i]:
            near = any(0 <= j <= last and (dense[j] or reasons[j]) for j in (i - 1, i + 1))
            if near or i == last:
                reasons[i] = "links"
    out: list[Block] = []
    seen: set[str] = set()
    cutting = False
    for i, b in enumerate(blocks):
        n = word_count(b.text)
        if reasons[i] == "section":
            cutting = True  # a "Related stories" section: its teasers follow
            continue
        if cutting:
            if (b.kind == "heading" and not dense[i]) or (n > 25 and b.link_chars < 0.3 * len(b.text)):
                cutting = False
            else:
                continue
        if reasons[i]:
            continue
        if _is_caption(b):
            b.kind = "caption"
        key = norm(b.text)
        if n >= 4 and key in seen:
            continue
        seen.add(key)
        out.append(b)
    return _trim_edges(out)


def _fragment(b: Block, words: int = 4) -> bool:
    """A few words without sentence punctuation: a label, a kicker, a byline, a widget's leftovers."""
    text = b.text
    return (b.kind in ("text", "heading", "caption", "quote") and word_count(text) <= words and ":" not in text
            and not any(c.isdigit() for c in text) and not text.rstrip("\"'”’»)").endswith((".", "!", "?", "…")))


def _trim_edges(blocks: list[Block]) -> list[Block]:
    """Labels before the article's first paragraph; headings, lead-ins ("Read more:") and fragments
    after its last one."""
    # runs of three or more one-to-three-word lines: form fields, widget labels, menus
    tiny = [b.kind == "text" and word_count(b.text) <= 3 and not b.text.endswith((".", "!", "?"))
            and not _URLISH.match(b.text) for b in blocks]
    drop: set[int] = set()
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and tiny[j]:
            j += 1
        if j - i >= 3:
            drop.update(range(i, j))
        i = max(j, i + 1)
    if drop:
        blocks = [b for i, b in enumerate(blocks) if i not in drop]
    first = next((i for i, b in enumerate(blocks) if word_count(b.text) >= 12 and b.kind != "heading"), None)
    if first is None:  # no paragraph of running text: keep what there is, unless only headings
        return [] if all(b.kind in ("heading", "caption") for b in blocks) else blocks
    blocks = [b for i, b in enumerate(blocks) if i >= first or not _fragment(b)]
    while blocks and (blocks[-1].kind == "heading" or _fragment(blocks[-1])
                      or (word_count(blocks[-1].text) <= 8 and blocks[-1].text.endswith(":"))):
        blocks.pop()
    return blocks

