"""The default question sets, version 1 of each respondent group. Seeded by the
data migration 0002 (and so present in every database); the quality director
edits them in the product from there. Texts in plain language for children."""

from __future__ import annotations


def _t(fi: str, sv: str, en: str) -> dict:
    return {"fi": fi, "sv": sv, "en": en}


NPS_CHILD = _t(
    "Kuinka todennäköisesti suosittelisit tätä paikkaa kaverille, joka tarvitsee apua?",
    "Hur troligt är det att du skulle rekommendera det här stället till en kompis som behöver hjälp?",
    "How likely would you be to recommend this place to a friend who needs help?",
)

DEFAULT_SURVEYS = [
    {
        "group": "child",
        "title": _t("Mitä mieltä olet?", "Vad tycker du?", "What do you think?"),
        "intro": _t(
            "Kerro, miltä sinusta tuntuu täällä. Kukaan ei saa tietää, mitä sinä vastasit.",
            "Berätta hur du har det här. Ingen får veta vad just du svarade.",
            "Tell us how things feel for you here. Nobody will know what you answered.",
        ),
        "questions": [
            ("safe", "faces", _t("Tunnen oloni turvalliseksi täällä.", "Jag känner mig trygg här.", "I feel safe here.")),
            ("heard", "faces", _t("Aikuiset kuuntelevat minua.", "De vuxna lyssnar på mig.", "The adults listen to me.")),
            (
                "participation",
                "faces",
                _t(
                    "Saan olla mukana päättämässä omista asioistani.",
                    "Jag får vara med och bestämma om mina egna saker.",
                    "I get to take part in deciding about my own things.",
                ),
            ),
            (
                "helped",
                "faces",
                _t("Saan täältä apua, kun tarvitsen.", "Jag får hjälp här när jag behöver det.", "I get help here when I need it."),
            ),
            (
                "hope",
                "faces",
                _t(
                    "Uskon, että asiani menevät parempaan suuntaan.",
                    "Jag tror att saker blir bättre för mig.",
                    "I believe things are getting better for me.",
                ),
            ),
            ("nps", "nps", NPS_CHILD),
            (
                "comments",
                "text",
                _t(
                    "Mitä muuta haluat kertoa? Mikä on hyvin, mitä pitäisi muuttaa?",
                    "Vill du berätta något mer? Vad är bra, vad borde ändras?",
                    "Anything else you want to tell us? What is good, what should change?",
                ),
            ),
        ],
    },
    {
        "group": "parent",
        "title": _t("Vanhempien palautekysely", "Enkät till föräldrar", "Survey for parents"),
        "intro": _t(
            "Vastaaminen vie noin kolme minuuttia. Vastaukset käsitellään nimettöminä.",
            "Det tar ungefär tre minuter att svara. Svaren behandlas anonymt.",
            "Answering takes about three minutes. The answers are handled anonymously.",
        ),
        "questions": [
            (
                "informed",
                "scale",
                _t(
                    "Minulle kerrotaan lapseni asioista riittävästi.",
                    "Jag får tillräckligt med information om mitt barns angelägenheter.",
                    "I am told enough about my child's matters.",
                ),
            ),
            (
                "heard",
                "scale",
                _t(
                    "Näkemykseni otetaan huomioon lapseni hoidossa.",
                    "Mina synpunkter beaktas i vården av mitt barn.",
                    "My views are taken into account in my child's care.",
                ),
            ),
            (
                "cooperation",
                "scale",
                _t(
                    "Yhteistyö työntekijöiden kanssa sujuu hyvin.",
                    "Samarbetet med personalen fungerar bra.",
                    "Working together with the staff goes well.",
                ),
            ),
            (
                "helped",
                "scale",
                _t(
                    "Lapseni on saanut sitä apua, jota hän tarvitsee.",
                    "Mitt barn har fått den hjälp hen behöver.",
                    "My child has received the help they need.",
                ),
            ),
            (
                "nps",
                "nps",
                _t(
                    "Kuinka todennäköisesti suosittelisit palveluamme perheelle, joka tarvitsee apua?",
                    "Hur troligt är det att du skulle rekommendera vår tjänst till en familj som behöver hjälp?",
                    "How likely would you be to recommend our service to a family in need of help?",
                ),
            ),
            (
                "comments",
                "text",
                _t(
                    "Mitä toivoisit meidän tekevän toisin?",
                    "Vad önskar du att vi skulle göra annorlunda?",
                    "What would you like us to do differently?",
                ),
            ),
        ],
    },
    {
        "group": "social_worker",
        "title": _t(
            "Sosiaalityöntekijän palautekysely", "Enkät till socialarbetare", "Survey for the child's social worker"
        ),
        "intro": _t(
            "Kysely koskee yksikön työtä lapsen kanssa viimeisen kolmen kuukauden aikana.",
            "Enkäten gäller enhetens arbete med barnet under de senaste tre månaderna.",
            "The survey concerns the unit's work with the child during the last three months.",
        ),
        "questions": [
            (
                "informed",
                "scale",
                _t(
                    "Saan tiedon lapsen asioista ajoissa.",
                    "Jag får information om barnets angelägenheter i tid.",
                    "I receive information on the child's matters in time.",
                ),
            ),
            (
                "cooperation",
                "scale",
                _t(
                    "Yhteistyö yksikön kanssa on sujuvaa.",
                    "Samarbetet med enheten fungerar smidigt.",
                    "Working with the unit is smooth.",
                ),
            ),
            (
                "plan",
                "scale",
                _t(
                    "Yksikkö toteuttaa asiakassuunnitelman tavoitteita.",
                    "Enheten arbetar för målen i klientplanen.",
                    "The unit works towards the goals of the client plan.",
                ),
            ),
            (
                "helped",
                "scale",
                _t(
                    "Lapsi on saanut palvelusta tarvitsemaansa tukea.",
                    "Barnet har fått det stöd hen behöver av tjänsten.",
                    "The child has received the support they need from the service.",
                ),
            ),
            (
                "nps",
                "nps",
                _t(
                    "Kuinka todennäköisesti suosittelisit yksikköä muille lapsille?",
                    "Hur troligt är det att du skulle rekommendera enheten för andra barn?",
                    "How likely would you be to recommend the unit for other children?",
                ),
            ),
            (
                "comments",
                "text",
                _t("Palaute ja kehittämisehdotukset", "Respons och utvecklingsförslag", "Feedback and suggestions"),
            ),
        ],
    },
]


def seed_default_surveys(Survey, Question, *, now) -> int:
    """Create version 1 of each group's set when the group has no set yet.
    Takes the model classes (a migration passes its historical ones)."""
    created = 0
    for spec in DEFAULT_SURVEYS:
        if Survey.objects.filter(group=spec["group"]).exists():
            continue
        survey = Survey.objects.create(
            group=spec["group"], version=1, state="published", title=spec["title"], intro=spec["intro"], published_at=now
        )
        Question.objects.bulk_create(
            Question(survey=survey, position=i, key=key, kind=kind, text=text, required=False)
            for i, (key, kind, text) in enumerate(spec["questions"], start=1)
        )
        created += 1
    return created
