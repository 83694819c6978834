"""The qualification types a provider starts with: what each holds, how long it
is valid and whether a certificate may be attached. Data, editable in the admin
(the refresh intervals are the provider's own policy; verify against the
provider's practice). The criminal-record extract can never take a file.
Loaded by migration 0002; `ensure_default_types` loads them again for the demo
and for tests after a transactional test has flushed the migration's rows."""

# key, kind, fi, sv, en, refresh months, attach, required, order
TYPES = [
    ("ammattioikeus", "registration", "Ammattioikeuden tarkistus (Julki-Terhikki / Julki-Suosikki)",
     "Kontroll av yrkesrättighet (JulkiTerhikki / JulkiSuosikki)",
     "Professional registration check (Julki-Terhikki / Julki-Suosikki)", None, False, True, 10),
    ("rikostaustaote", "criminal_record", "Rikostaustaote nähty (työ lasten kanssa)",
     "Straffregisterutdrag uppvisat (arbete med barn)", "Criminal-record extract seen (work with children)",
     None, False, True, 20),
    ("laakelupa", "medication_permit", "Lääkelupa", "Läkemedelstillstånd", "Medication permit", 60, True, False, 30),
    ("ensiapu", "first_aid", "Ensiapukoulutus (EA 1)", "Första hjälpen (FHJ 1)", "First aid (EA 1)", 36, True, True, 40),
    ("turvallisuus", "safety_training", "Turvallisuus- ja väkivallan hallinnan koulutus (esim. MAPA)",
     "Utbildning i säkerhet och hantering av aggression (t.ex. MAPA)",
     "Safety and aggression-management training (e.g. MAPA)", 12, True, True, 50),
    ("tietosuoja", "data_protection", "Tietosuoja- ja tietoturvakoulutus", "Utbildning i dataskydd och informationssäkerhet",
     "Data-protection and information-security training", 24, True, True, 60),
    ("hygieniapassi", "other", "Hygieniaosaamistodistus", "Hygienkompetensbevis", "Hygiene proficiency certificate",
     None, True, False, 70),
    ("muu", "other", "Muu yksikön vaatima pätevyys", "Annan behörighet som enheten kräver",
     "Other qualification the unit requires", None, True, False, 80),
]


def load_default_types(QualificationType) -> None:
    for key, kind, fi, sv, en, months, attach, required, order in TYPES:
        QualificationType.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind, "name": fi, "name_sv": sv, "name_en": en, "refresh_months": months,
                "allows_attachment": attach, "required": required, "order": order,
            },
        )


def ensure_default_types() -> None:
    from omavalvonta.people.models import QualificationType

    load_default_types(QualificationType)
