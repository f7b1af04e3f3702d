"""A first-time visitor opens a consultation in Japanese without an account: confirms the
address through the e-mailed link, reads the staff answer through the thread link and replies."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from akari.services.models import Consultation
from akari.services.services import consultations as desk
from tests.services.factories import facility, office

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _path(body: str) -> str:
    url = re.search(r"https?://\S+", body).group(0)
    return "/" + url.split("/", 3)[3]


def test_a_first_time_visitor_opens_a_consultation_in_japanese(live_server, page, screenshot):
    nano = facility()
    staff = office()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="相談窓口").first.click()
    page.get_by_test_id("open-consultation").click()
    page.select_option("select[name=facility]", value=str(nano.pk))
    page.select_option("select[name=topic]", value="first_time")
    page.fill("input[name=subject]", "初めての放射光利用について")
    page.fill(
        "textarea[name=body]",
        "中小企業で塗膜の劣化を調べています。放射光は初めてですが、どのように始めればよいでしょうか。",
    )
    page.fill("input[name=requester_name]", "東北 花子")
    page.fill("input[name=requester_email]", "hanako@example.jp")
    page.fill("input[name=organisation_name]", "東北塗装株式会社")
    page.set_input_files(
        "input[name=attachments]",
        files=[
            {
                "name": "写真.png",
                "mimeType": "image/png",
                "buffer": b"\x89PNG\r\n\x1a\n" + b"0" * 64,
            }
        ],
    )
    screenshot("services-consultation-01-form")
    page.get_by_test_id("consultation-submit").click()
    page.get_by_test_id("check-email").wait_for()
    assert "hanako@example.jp" in page.get_by_test_id("check-email").inner_text()
    consultation = Consultation.objects.get()
    assert consultation.verified_at is None and consultation.requester is None
    assert consultation.language == "ja"

    # The e-mail is in Japanese; its link confirms the address and opens the thread.
    verify = mail.outbox[-1]
    assert verify.to == ["hanako@example.jp"] and "確認" in verify.subject
    page.goto(live_server.url + _path(verify.body))
    page.get_by_test_id("thread").wait_for()
    assert "新規" in page.get_by_test_id("consultation-status").inner_text()
    assert "写真.png" in page.get_by_test_id("thread").inner_text()
    consultation.refresh_from_db()
    assert consultation.verified_at is not None
    thread_url = page.url
    screenshot("services-consultation-02-verified")

    # Staff answer; the visitor reads it through the thread link and replies.
    desk.consultation_staff_reply(
        consultation=consultation,
        body="まずは無料の事前相談で測定手法を一緒に検討しましょう。",
        actor=staff,
    )
    page.goto(thread_url)
    assert "依頼者の返答待ち" in page.get_by_test_id("consultation-status").inner_text()
    assert "事前相談" in page.get_by_test_id("thread").inner_text()
    page.fill("textarea[name=body]", "ありがとうございます。来週お電話してもよろしいですか。")
    page.get_by_test_id("reply-submit").click()
    page.wait_for_url(thread_url)
    assert page.get_by_test_id("message").count() == 3
    assert "担当割当済み" in page.get_by_test_id("consultation-status").inner_text()
    screenshot("services-consultation-03-replied")
