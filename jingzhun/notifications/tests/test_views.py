"""The bell, the list and marking read: each user sees and changes only their own."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from conftest import College
from jingzhun.notifications import kinds
from jingzhun.notifications.models import Notification
from jingzhun.notifications.services import notify

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
BELL = reverse("notifications:bell")
READ_ALL = reverse("notifications:read-all")


def read_url(notification: Notification) -> str:
    return reverse("notifications:read", kwargs={"pk": notification.pk})


def send(user, title: str, url: str = "") -> Notification:
    return notify(recipients=[user], kind=kinds.TEST, title=title, url=url)[0]


def titles(response) -> list[str]:
    return re.findall(r'data-testid="(?:open|title)"[^>]*>([^<]+)<', response.content.decode())


def shown_titles(response) -> list[str]:
    return [n.title for n in response.context["page"].object_list]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def counsellor(college: College, client: Client):
    client.force_login(college.user("counsellor_a"))
    return college.user("counsellor_a")


def test_the_list_shows_only_the_own_notifications_newest_first(
    college: College, counsellor, client
):
    send(counsellor, "第一条")
    send(college.user("mentor_a"), "别人的通知")
    second = send(counsellor, "第二条", url="/cases/")
    second.read_at = second.created_at
    second.save()
    send(counsellor, "第三条")

    response = client.get(LIST)

    assert shown_titles(response) == ["第三条", "第二条", "第一条"]
    assert "别人的通知" not in response.content.decode()
    assert response.context["unread"] == 2
    body = response.content.decode()
    assert '<div class="small text-secondary mb-1" data-testid="total">3 条通知</div>' in body
    assert "未读 (2)" in body

    unread = client.get(LIST, {"show": "unread"})
    assert shown_titles(unread) == ["第三条", "第一条"]


def test_the_list_is_paged_with_a_constant_number_of_queries(
    college: College, counsellor, client, django_assert_num_queries
):
    for i in range(3):
        send(counsellor, f"通知{i}")
    with django_assert_num_queries(9) as few:
        client.get(LIST)
    for i in range(3, 45):
        send(counsellor, f"通知{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"page": "2"})
    assert shown_titles(response) == [f"通知{i}" for i in range(24, 4, -1)]
    assert "第 2 页，共 3 页" in response.content.decode()


@pytest.mark.parametrize("page", ["99999999999999999999", "²", "-1", "abc", "1e999", ""])
def test_hostile_page_numbers_show_a_page(counsellor, client, page: str):
    send(counsellor, "一条")
    assert client.get(LIST, {"page": page, "show": page}).status_code == 200


def test_the_bell_counts_the_unread(college: College, counsellor, client):
    response = client.get(BELL)
    assert 'data-testid="bell-count"' not in response.content.decode()
    assert response["Cache-Control"] == "no-store"

    for i in range(3):
        send(counsellor, f"通知{i}")
    send(college.user("mentor_a"), "别人的")
    body = client.get(BELL).content.decode()
    assert re.search(r'data-testid="bell-count">3</span>', body)
    assert 'hx-trigger="every 60s"' in body  # the fragment polls, without loading itself again
    assert 'aria-label="通知：3 条未读"' in body

    Notification.objects.bulk_create(
        Notification(recipient=counsellor, kind=kinds.TEST, title="多") for _ in range(100)
    )
    assert 'data-testid="bell-count">99+</span>' in client.get(BELL).content.decode()


def test_every_page_carries_the_bell_which_loads_its_count(counsellor, client):
    body = client.get(reverse("home")).content.decode()
    assert f'hx-get="{BELL}" hx-trigger="load, every 60s"' in body
    assert 'data-testid="bell-count"' not in body  # the page itself runs no count query


def test_mark_one_read_confirms_and_returns(counsellor, client):
    notification = send(counsellor, "请查看")

    response = client.post(read_url(notification), {"next": f"{LIST}?show=unread"})

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?show=unread"
    assert messages_of(response) == ["已将“请查看”标为已读。"]
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_follows_only_a_path_on_this_site(counsellor, client):
    good = send(counsellor, "去审核", url="/identification/review/")
    response = client.post(read_url(good), {"open": "1"})
    assert response["Location"] == "/identification/review/"
    good.refresh_from_db()
    assert good.is_read

    # A row written around the service (an old row, a direct insert) with an off-site link.
    for url in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        bad = Notification.objects.create(recipient=counsellor, kind=kinds.TEST, title="x", url=url)
        assert client.post(read_url(bad), {"open": "1"})["Location"] == LIST


def test_an_off_site_next_is_ignored(counsellor, client):
    notification = send(counsellor, "一条")
    response = client.post(read_url(notification), {"next": "https://evil.example/"})
    assert response["Location"] == LIST


def test_another_users_notification_is_hidden_and_untouched(college: College, counsellor, client):
    theirs = send(college.user("mentor_a"), "别人的")
    assert client.post(read_url(theirs), {"open": "1"}).status_code == 404
    assert client.post(reverse("notifications:read", kwargs={"pk": 2**63})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_says_how_many_and_leaves_others_alone(college: College, counsellor, client):
    send(counsellor, "一")
    send(counsellor, "二")
    theirs = send(college.user("mentor_a"), "别人的")

    response = client.post(READ_ALL)
    assert response["Location"] == LIST
    assert messages_of(response) == ["已将 2 条通知标为已读。"]
    assert not Notification.objects.filter(recipient=counsellor, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None

    client.get(LIST)  # shows (and so consumes) the message
    again = client.post(READ_ALL)
    assert messages_of(again) == ["没有未读通知。"]


def test_marking_needs_the_csrf_token(counsellor):
    notification = send(counsellor, "一条")
    client = Client(enforce_csrf_checks=True)
    client.force_login(counsellor)
    assert client.post(read_url(notification)).status_code == 403
    assert client.post(READ_ALL).status_code == 403
    assert client.get(read_url(notification)).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_bell_poll_leaves_the_session_alone(college, client, settings):
    """Polled every minute from every open page, the bell must not extend an idle session
    (the idle timeout saves the session on each real page load) nor send a session cookie."""
    from django.contrib.sessions.models import Session
    from django.urls import reverse

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client.force_login(college.user("counsellor_a"))
    client.get(reverse("home"))
    before = Session.objects.get().expire_date
    response = client.get(reverse("notifications:bell"))
    assert response.status_code == 200 and "sessionid" not in response.cookies
    assert Session.objects.get().expire_date == before
    page = client.get(reverse("home"))  # a real page load still refreshes it
    assert "sessionid" in page.cookies and Session.objects.get().expire_date >= before
