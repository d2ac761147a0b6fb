"""The demo college has open alerts of every implemented kind; a second seeding does nothing."""

from __future__ import annotations

import pytest

from jingzhun.assistance.demo import seed_assistance_demo
from jingzhun.identification.demo import seed_identification_demo
from jingzhun.notifications.models import Notification
from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.students.demo.cohorts import DEMO_TODAY
from jingzhun.students.demo.generator import seed_demo_college
from jingzhun.tracking.alert_demo import seed_alerts_demo
from jingzhun.tracking.alerts import checks
from jingzhun.tracking.alerts.models import Alert
from jingzhun.tracking.destination_demo import seed_destination_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_open_alerts_of_every_implemented_kind(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_demo_college(students=300, seed=1)
    seed_identification_demo(institution_code=INSTITUTION_CODE, as_of=DEMO_TODAY)
    seed_assistance_demo(institution_code=INSTITUTION_CODE)
    seed_destination_demo(institution_code=INSTITUTION_CODE)  # before alerts, as in the demo

    opened = seed_alerts_demo(institution_code=INSTITUTION_CODE)

    assert opened is not None
    kinds = set(Alert.objects.filter(state=Alert.State.OPEN).values_list("kind", flat=True))
    assert kinds == {k.code for k in checks.implemented()}
    assert sum(opened.values()) == Alert.objects.count()
    assert Notification.objects.filter(kind="tracking.alerts_opened").exists()
    assert seed_alerts_demo(institution_code=INSTITUTION_CODE) is None
