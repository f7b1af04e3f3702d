"""Demo data of the support services app (consultations, matching, orders). Idempotent: each
part is made once (skipped when its first record exists), through the services."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from akari.accounts.models import User
from akari.facility.models import Facility
from akari.services.models import CompanyNeed, Consultation, ExpertiseProfile, ServiceOrder
from akari.services.services import consultations as desk
from akari.services.services import matching, orders

PROFILES = {
    "applicant@demo.akari.example": {
        "headline": "電池材料のオペランドXAFS / Operando XAFS of battery materials",
        "techniques": "XAFS, HAXPES, operando spectroscopy",
        "materials": "Lithium-ion and all-solid-state battery cathodes, solid electrolytes",
        "fields": "Electrochemistry, materials science",
        "keywords_ja": "電池, 正極, 価数, オペランド, XAFS",
        "keywords_en": "battery, cathode, valence, operando, XAFS",
    },
    "reviewer@demo.akari.example": {
        "headline": "Protein crystallography for drug discovery",
        "techniques": "Macromolecular crystallography, serial crystallography",
        "materials": "Enzymes, antibodies, viral proteins",
        "fields": "Structural biology",
        "keywords_ja": "タンパク質結晶, 創薬, 構造生物学",
        "keywords_en": "protein crystallography, drug discovery, enzyme",
    },
    "student@demo.akari.example": {
        "headline": "高分子フィルムの小角・広角X線散乱",
        "techniques": "SAXS, WAXS, time-resolved scattering",
        "materials": "Polymer films, rubber, fibres",
        "fields": "Polymer physics",
        "keywords_ja": "高分子, 小角散乱, 配向, ゴム",
        "keywords_en": "polymer, SAXS, orientation, rubber",
    },
    "overseas@demo.akari.example": {
        "headline": "ARPES of quantum materials",
        "techniques": "ARPES, spin-resolved photoemission, soft X-ray spectroscopy",
        "materials": "Topological insulators, 2D materials, superconductors",
        "fields": "Condensed matter physics",
        "keywords_ja": "角度分解光電子分光, トポロジカル, 超伝導",
        "keywords_en": "ARPES, band structure, topological, 2D materials",
    },
}


def demo_support(people: dict[str, User]) -> None:
    """Idempotent; called by ``load_demo`` after the outcomes demo."""
    office = people.get("office@demo.akari.example")
    scientist = people.get("scientist@demo.akari.example")
    if office is None or scientist is None:
        return
    nano = Facility.objects.get(code="nanoterasu")
    spring8 = Facility.objects.get(code="spring8")
    _consultations(people, office, nano, spring8)
    _matching(people, nano)
    _orders(people, scientist, nano, spring8)


def _consultations(
    people: dict[str, User], office: User, nano: Facility, spring8: Facility
) -> None:
    if Consultation.objects.exists():
        return
    first = desk.consultation_open(
        facility=nano,
        topic="first_time",
        subject="初めての放射光利用について",
        body="塗膜の劣化を調べたい中小企業です。放射光は初めてですが、何から始めればよいでしょうか。",
        requester_name="東北 花子",
        requester_email="hanako@example.jp",
        organisation_name="東北塗装株式会社",
        language="ja",
        actor=None,
    )
    first = desk.consultation_verify(token=desk.verification_token(first))
    desk.consultation_staff_reply(
        consultation=first,
        body="ご相談ありがとうございます。まずは試料の形態と知りたいこと（化学状態、構造など）を教えてください。",
        actor=office,
    )
    applicant = people.get("applicant@demo.akari.example")
    if applicant is not None:
        desk.consultation_open(
            facility=spring8,
            topic="beamline",
            subject="Which beamline for operando XAFS of pouch cells?",
            body="We want to follow Ni and Co valence in a pouch cell during cycling. "
            "Which SPring-8 beamline and set-up would you recommend?",
            requester_name=str(applicant),
            requester_email=applicant.email,
            organisation_name="Tohoku University",
            language="en",
            actor=applicant,
        )
    sme = people.get("member-sme@demo.akari.example")
    if sme is not None:
        joining = desk.consultation_open(
            facility=nano,
            topic="coalition",
            subject="コアリション加入の条件",
            body="地域の中小企業グループとして加入を検討しています。口数と利用時間の関係を教えてください。",
            requester_name=str(sme),
            requester_email=sme.email,
            organisation_name="蔵王精密",
            language="ja",
            actor=sme,
        )
        desk.consultation_staff_reply(
            consultation=joining,
            body="1口あたり年間約200時間です。加入担当からご連絡します。",
            actor=office,
        )
        desk.consultation_to_enquiry(consultation=joining, actor=office)
        desk.consultation_resolve(consultation=joining, actor=office)


def _matching(people: dict[str, User], nano: Facility) -> None:
    for email, data in PROFILES.items():
        person = people.get(email)
        if person is not None and not ExpertiseProfile.objects.filter(person=person).exists():
            matching.profile_save(actor=person, data={**data, "published": True})
    izumi = people.get("member-izumi@demo.akari.example")
    if izumi is None or CompanyNeed.objects.exists():
        return
    organisation = izumi.affiliations.first().organisation  # type: ignore[union-attr]
    need = matching.need_create(
        facility=nano,
        organisation=organisation,
        title="正極材料の容量劣化の原因を知りたい",
        description="ハイニッケル正極で充放電を繰り返すと容量が低下します。"
        "充放電中の遷移金属の価数変化をオペランドで調べられる研究者と共同研究したい。",
        techniques="XAFS, XPS",
        actor=izumi,
    )
    first = need.suggestions.order_by("rank").first()
    if first is not None:
        matching.suggestion_contact(
            suggestion=first, actor=izumi, message="共同研究についてご相談させてください。"
        )
        matching.suggestion_answer(suggestion=first, accept=True, actor=first.profile.person)
    gold = people.get("member-gold@demo.akari.example")
    if gold is not None:
        matching.need_create(
            facility=nano,
            organisation=gold.affiliations.first().organisation,  # type: ignore[union-attr]
            title="Orientation in stretched packaging film",
            description="How do crystallinity and orientation develop when our polymer film is "
            "stretched? We look for a SAXS/WAXS specialist.",
            actor=gold,
        )


def _orders(people: dict[str, User], scientist: User, nano: Facility, spring8: Facility) -> None:
    gold = people.get("member-gold@demo.akari.example")
    izumi = people.get("member-izumi@demo.akari.example")
    if gold is None or izumi is None or ServiceOrder.objects.exists():
        return
    hirose = gold.affiliations.first().organisation  # type: ignore[union-attr]
    mail_in = orders.order_request(
        facility=nano,
        kind=ServiceOrder.Kind.MEASUREMENT,
        organisation=hirose,
        programme="nanoterasu-coalition",
        technique="Soft X-ray XAS (C, O K-edges)",
        description="Surface chemical state of three coated films before and after ageing.",
        measurements=6,
        samples=[
            {"name": "Coated film A/B/C", "composition": "10 mm squares on Si", "quantity": 3},
        ],
        actor=gold,
    )
    orders.order_quote(order=mail_in, hours=Decimal(4), actor=scientist)
    orders.order_accept(order=mail_in, actor=gold)
    orders.order_ship(order=mail_in, tracking_number="4567-1234-8899", carrier="Yamato", actor=gold)
    orders.order_receive(order=mail_in, actor=scientist)
    orders.order_measured(order=mail_in, actor=scientist)
    orders.order_deliver(
        order=mail_in,
        data_url="https://data.example.org/akari/so-demo-1.zip",
        sha256=hashlib.sha256(b"akari demo mail-in data").hexdigest(),
        actor=scientist,
    )
    izumi_org = izumi.affiliations.first().organisation  # type: ignore[union-attr]
    analysis = orders.order_request(
        facility=nano,
        kind=ServiceOrder.Kind.ANALYSIS_ADVANCED,
        organisation=izumi_org,
        programme="nanoterasu-coalition",
        technique="XAFS fitting (Ni K-edge)",
        description="EXAFS fitting of 12 spectra from our October beamtime.",
        actor=izumi,
    )
    orders.order_quote(order=analysis, hours=Decimal(6), actor=scientist)
    applicant = people.get("applicant@demo.akari.example")
    if applicant is not None:
        orders.order_request(
            facility=spring8,
            kind=ServiceOrder.Kind.ANALYSIS_BASIC,
            organisation=applicant.affiliations.first().organisation,  # type: ignore[union-attr]
            programme="spring8",
            technique="XANES normalisation",
            description="Guidance on normalising and comparing XANES spectra.",
            actor=applicant,
        )
