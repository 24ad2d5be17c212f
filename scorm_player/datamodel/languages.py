"""Language codes a SCORM 2004 ``language_type`` may start with (RTE 4th Ed. Appendix C).

A ``language_type`` is an RFC 3066 tag, whose primary subtag is ``i``, ``x``, an ISO 639-1
two-letter code or an ISO 639-2 three-letter code (bibliographic and terminology forms both).
The ADL Sample RTE, and with it the conformance suite (DMI: ``{lang=frl}``, ``exg``, ``sp``,
``ruq-JM`` are 406), looks the primary subtag up in those lists, so a syntax check is not
enough. Later subtags are only checked for their syntax.

The lists are data, kept here once and compiled into :data:`PRIMARY_SUBTAG`, a regex the
JavaScript adapter receives with the rest of the data model (see :mod:`.types`). They are
the ISO 639-1 and ISO 639-2 code tables as the ISO 639 registration authorities publish them,
plus the codes they have since withdrawn (``bh``, ``in``, ``iw``, ``ji``, ``jw``, ``mo``,
``sh``, ``mol``, ``scc``, ``scr``): a tag recorded under an old code stays valid, and the ADL
lists still held them. ISO 639-2 also reserves ``qaa``-``qtz`` for local use.
"""

from __future__ import annotations

#: ISO 639-1 (two letters), withdrawn codes included.
ISO_639_1 = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
    cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr
    ht hu hy hz ia id ie ig ii ik in io is it iu iw ja ji jv jw ka kg ki kj kk kl km kn ko kr
    ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my na nb nd ne ng
    nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk
    sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve
    vi vo wa wo xh yi yo za zh zu
    """.split()
)

#: ISO 639-2/B and 639-2/T (three letters), withdrawn codes included; ``qaa``-``qtz`` (local
#: use) are matched by a range in :data:`PRIMARY_SUBTAG` instead of being listed.
ISO_639_2 = frozenset(
    """
    aar abk ace ach ada ady afa afh afr ain aka akk alb ale alg alt amh ang anp apa ara arc arg
    arm arn arp art arw asm ast ath aus ava ave awa aym aze bad bai bak bal bam ban baq bas bat
    bej bel bem ben ber bho bih bik bin bis bla bnt bod bos bra bre btk bua bug bul bur byn cad
    cai car cat cau ceb cel ces cha chb che chg chi chk chm chn cho chp chr chu chv chy cmc cnr
    cop cor cos cpe cpf cpp cre crh crp csb cus cym cze dak dan dar day del den deu dgr din div
    doi dra dsb dua dum dut dyu dzo efi egy eka ell elx eng enm epo est eus ewe ewo fan fao fas
    fat fij fil fin fiu fon fra fre frm fro frr frs fry ful fur gaa gay gba gem geo ger gez gil
    gla gle glg glv gmh goh gon gor got grb grc gre grn gsw guj gwi hai hat hau haw heb her hil
    him hin hit hmn hmo hrv hsb hun hup hye iba ibo ice ido iii ijo iku ile ilo ina inc ind ine
    inh ipk ira iro isl ita jav jbo jpn jpr jrb kaa kab kac kal kam kan kar kas kat kau kaw kaz
    kbd kha khi khm kho kik kin kir kmb kok kom kon kor kos kpe krc krl kro kru kua kum kur kut
    lad lah lam lao lat lav lez lim lin lit lol loz ltz lua lub lug lui lun luo lus mac mad mag
    mah mai mak mal man mao map mar mas may mdf mdr men mga mic min mis mkd mkh mlg mlt mnc mni
    mno moh mol mon mos mri msa mul mun mus mwl mwr mya myn myv nah nai nap nau nav nbl nde ndo
    nds nep new nia nic niu nld nno nob nog non nor nqo nso nub nwc nya nym nyn nyo nzi oci oji
    ori orm osa oss ota oto paa pag pal pam pan pap pau peo per phi phn pli pol pon por pra pro
    pus que raj rap rar roa roh rom ron rum run rup rus sad sag sah sai sal sam san sas sat scc
    scn sco scr sel sem sga sgn shn sid sin sio sit sla slk slo slv sma sme smi smj smn smo sms
    sna snd snk sog som son sot spa sqi srd srn srp srr ssa ssw suk sun sus sux swa swe syc syr
    tah tai tam tat tel tem ter tet tgk tgl tha tib tig tir tiv tkl tlh tli tmh tog ton tpi tsi
    tsn tso tuk tum tup tur tut tvl twi tyv udm uga uig ukr umb und urd uzb vai ven vie vol vot
    wak wal war was wel wen wln wol xal xho yao yap yid yor ypk zap zbl zen zgh zha zho znd zul
    zun zxx zza
    """.split()
)

LOCAL_USE = "[qQ][a-tA-T][a-zA-Z]"


def _case_free(letters: str) -> str:
    """A character class of ``letters`` in both cases (tags are case-insensitive, and the
    exported regexes carry no flags)."""
    return f"[{letters}{letters.upper()}]"


def _alternation(codes: list[str]) -> str:
    """A regex matching exactly ``codes`` (all of one length), branching on one letter at a
    time so each code costs a few characters and a match never backtracks far."""
    if len(codes[0]) == 1:
        return _case_free("".join(codes))
    by_first: dict[str, list[str]] = {}
    for code in sorted(codes):
        by_first.setdefault(code[0], []).append(code[1:])
    branches = [_case_free(first) + _alternation(rests) for first, rests in by_first.items()]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


#: The primary subtag of a ``language_type``: ``i``, ``x``, ISO 639-1, ISO 639-2 or local use.
PRIMARY_SUBTAG = (
    f"(?:[iIxX]|{_alternation(sorted(ISO_639_1))}|{_alternation(sorted(ISO_639_2))}|{LOCAL_USE})"
)
