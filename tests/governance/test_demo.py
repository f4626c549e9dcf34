"""The demo councils: loaded by seed_demo once, through the services, with figures to show."""

from io import StringIO

from django.core.management import call_command

from civic.models import User
from governance import selectors
from governance.models import (
    Council,
    CouncilMember,
    Meeting,
    MicroProject,
    Progress,
    Resolution,
    ResolutionStatus,
    Topic,
    TopicSource,
)

QIAOGUANG = "440402005001"


def counts():
    return tuple(
        model.objects.count() for model in (Council, CouncilMember, Topic, Meeting, Resolution, Progress, MicroProject)
    )


def test_the_demo_councils_load_once_with_figures_to_show(db):
    call_command("seed_demo", stdout=StringIO())
    loaded = counts()
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert counts() == loaded
    assert "community councils: 5 councils already there" in output.getvalue()

    assert sorted(Council.objects.values_list("level", flat=True)) == [
        "building",
        "community",
        "community",
        "neighbourhood",
        "street",
    ]
    for council in Council.objects.all():
        sitting = council.members.filter(left_on__isnull=True)
        assert 5 <= council.members.count() <= 9 and len({m.kind for m in sitting}) >= 3, council
    assert {TopicSource.RESIDENT, TopicSource.COMMITTEE, TopicSource.HOTLINE} <= set(
        Topic.objects.values_list("source", flat=True)
    )
    assert Topic.objects.filter(source="hotline").exclude(external_ref="").exists()
    assert {"elevator", "property", "dispute", "assets", "facilities"} <= set(
        Topic.objects.values_list("category", flat=True)
    )
    assert 2 <= Meeting.objects.count() <= 3

    statuses = set(Resolution.objects.values_list("status", flat=True))
    assert statuses == {"implemented", "not_implemented", "in_progress"}
    assert Resolution.objects.filter(status="implemented", published_on__isnull=False).count() >= 2
    assert Resolution.objects.get(status="not_implemented").not_implemented_reason
    overdue = selectors.overdue_resolutions(User.objects.get(username="reviewer"))
    assert overdue.count() == 1 and overdue.get().progress.filter(kind="reminder").exists()
    # Being carried out: the overdue one, and the elevator, not due yet.
    assert Resolution.objects.filter(status=ResolutionStatus.IN_PROGRESS).count() == 2

    project = MicroProject.objects.get(topic__category="elevator")
    assert (project.budget, project.status, project.completion) == (80000, "underway", 60)

    secretary = User.objects.get(username="secretary")
    assert set(selectors.councils_for(secretary).values_list("region_id", flat=True)) == {QIAOGUANG}
    reviewer = User.objects.get(username="reviewer")
    figures = selectors.figures(reviewer, "community")
    assert figures["rows"] and figures["total"]["due"] > 0
    qiaoguang = next(row for row in figures["rows"] if row["key"] == QIAOGUANG)
    assert 0 < qiaoguang["rate"] < 1
