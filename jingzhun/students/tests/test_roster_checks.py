"""A roster's every column is used or checked: school, major and graduation year against the
class, class names that several schools use, 生源地 as code or place name, ignored columns."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from conftest import College
from jingzhun.org.models import ClassGroup
from jingzhun.org.tests.factories import ClassGroupFactory, MajorFactory, SchoolFactory
from jingzhun.students.intake import parsers as p
from jingzhun.students.intake import services
from jingzhun.students.intake.headers import column_letter, suggest_mapping, unused_columns
from jingzhun.students.intake.kinds import STUDENTS
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.intake.validate import validate_payload
from jingzhun.students.models import Student
from jingzhun.students.tests.factories import valid_id_number
from jingzhun.students.tests.spreadsheets import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(college: College, data: bytes, filename: str) -> ImportBatch:
    """Upload, read, check and apply the valid rows, as the employment office."""
    actor = college.personas["employment_officer"]
    batch = services.import_batch_create(actor=actor, kind="students", filename=filename, data=data)
    services.import_batch_read(batch_id=batch.pk)
    batch = services.import_batch_check(batch_id=batch.pk)
    services.import_batch_request_apply(actor=actor, batch=batch, mode=ImportBatch.Mode.VALID_ROWS)
    return services.import_batch_apply(batch_id=batch.pk)


# 计算机2301 exists in two schools, as real colleges name classes by major and year.
SHARED = "计算机2301"


def two_schools_with_one_class_name(college: College) -> tuple[ClassGroup, ClassGroup]:
    mech = SchoolFactory.create(institution=college.institution, code="S03", name="机电学院")
    info_class = ClassGroupFactory.create(
        major=MajorFactory.create(school=college.school_a, moe_code="510202", name="计算机网络技术"),
        name=SHARED, cohort=2026,
    )  # fmt: skip
    mech_class = ClassGroupFactory.create(
        major=MajorFactory.create(school=mech, moe_code="460303", name="工业机器人技术"),
        name=SHARED, cohort=2026,
    )  # fmt: skip
    return info_class, mech_class


ROSTER = ["序号", "学号", "姓名", "性别", "学院", "专业代码", "专业", "班级", "毕业年份", "生源地",
          "身份证号", "备注"]  # fmt: skip


def roster_row(n: int, **overrides: object) -> list[object]:
    row = {
        "seq": n, "number": f"20230100{n:02d}", "name": f"学生{n}", "gender": "男",
        "school": "信息工程学院", "code": "510201", "major": "计算机应用技术", "class": "计应2401",
        "year": "2027", "origin": "410102", "id": valid_id_number(sequence=101 + 2 * n), "note": "",
    } | overrides  # fmt: skip
    return list(row.values())


def test_xlsx_roster_checks_school_major_and_year_against_the_class(college):
    info_class, mech_class = two_schools_with_one_class_name(college)
    rows = [
        roster_row(1),
        roster_row(2, year="2026"),  # the class graduates in 2027
        roster_row(3, year="明年"),
        roster_row(4, school="财经商贸学院"),
        roster_row(5, code="530302", major="大数据与会计"),
        roster_row(6, school="机电学院", code="460303", major="工业机器人技术", **{"class": SHARED},
                   year="二〇二六", origin="河南省郑州市"),
        roster_row(7, code="510202", major="计算机网络技术", **{"class": SHARED}, year="二零二六届"),
        roster_row(1, name="重复"),
        roster_row(9, origin="郑州市金水区"),
        roster_row(10, school="汽车学院", **{"class": SHARED}, code="", major="", year=""),
    ]  # fmt: skip
    batch = run(college, xlsx_bytes(ROSTER, rows, title="2023级学生花名册"), "花名册.xlsx")

    assert [(e["row"], e["column"], e["value"], e["message"]) for e in batch.errors] == [
        (4, "I列 毕业年份", "2026", "毕业年份 2026 与班级 计应2401 的届别 2027 不符"),
        (5, "I列 毕业年份", "明年", "“明年”不是毕业年份（例如 2026 或 2026届）"),
        (6, "E列 学院", "财经商贸学院", "学院 财经商贸学院 与班级 计应2401 所属学院 信息工程学院 不符"),
        (7, "F列 专业代码", "530302", "专业代码 530302 与班级 计应2401 的专业代码 510201 不符"),
        (7, "G列 专业", "大数据与会计", "专业 大数据与会计 与班级 计应2401 的专业 计算机应用技术 不符"),
        (10, "B列 学号", "2023010001", "与第 3 行重复"),
        (11, "J列 生源地", "郑州市金水区",
         "“郑州市金水区”无法对应到唯一的省或地级市（区县名称无法识别），请填写 6 位行政区划代码"),
        (12, "E列 学院", "汽车学院", f"学院 汽车学院 没有班级 {SHARED}（{SHARED} 在 信息工程学院、机电学院）"),
    ]  # fmt: skip
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (10, 3, 7)
    assert (batch.status, batch.created_count) == ("applied", 3)
    placed = {
        s.student_number: (s.class_group_id, s.school_id, s.cohort, s.hukou_region_code)
        for s in Student.objects.filter(student_number__startswith="202301")
    }
    assert placed == {
        "2023010001": (college.class_a.pk, college.school_a.pk, 2027, "410102"),
        "2023010006": (mech_class.pk, mech_class.major.school_id, 2026, "410100"),
        "2023010007": (info_class.pk, college.school_a.pk, 2026, "410102"),
    }


def test_gb18030_csv_without_a_school_column_names_the_schools_of_an_ambiguous_class(college):
    two_schools_with_one_class_name(college)
    header = ["学号", "姓名", "性别", "班级", "届别", "生源地"]
    rows = [
        ["2023020001", "赵一", "女", "计应2401", "2027届", "410102"],
        ["2023020002", "钱二", "女", SHARED, "2026", "410102"],
        ["2023020003", "孙三", "女", "计应2401", "2026年", "410102"],
        ["2023020004", "李四", "女", "计应2401", "二〇二七", "吉林"],
    ]
    data = csv_bytes(header, rows, encoding="gb18030")
    batch = run(college, data, "名单.csv")

    assert batch.reading["encoding"] == "gb18030"
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (3, "D列 班级", f"班级名称 {SHARED} 在 信息工程学院、机电学院 都有，请增加“学院”列"),
        (4, "E列 届别", "毕业年份 2026 与班级 计应2401 的届别 2027 不符"),
        (5, "F列 生源地", "“吉林”可能指 吉林省、吉林省吉林市，请填写 6 位行政区划代码"),
    ]
    assert list(Student.objects.filter(student_number__startswith="202302").values_list(
        "student_number", "cohort")) == [("2023020001", 2027)]  # fmt: skip


def test_a_class_code_picks_the_class_a_name_alone_cannot(college):
    info_class, mech_class = two_schools_with_one_class_name(college)
    ClassGroup.objects.filter(pk=info_class.pk).update(code="XX2301")
    ClassGroup.objects.filter(pk=mech_class.pk).update(code="JD2301")
    header = ["学号", "姓名", "性别", "班级", "班级代码"]
    rows = [
        ["2023030001", "周一", "男", SHARED, "JD2301"],
        ["2023030002", "吴二", "男", SHARED, "ＸＸ2301"],  # full-width letters: the same code
        ["2023030003", "郑三", "男", SHARED, "ZZ9999"],
    ]
    batch = run(college, xlsx_bytes(header, rows), "名单.xlsx")
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (4, "E列 班级代码", f"班级代码 ZZ9999 与班级 {SHARED} 不符，或该班级未登记代码"),
    ]
    placed = dict(Student.objects.filter(student_number__startswith="202303").values_list(
        "student_number", "class_group"))  # fmt: skip
    assert placed == {"2023030001": mech_class.pk, "2023030002": info_class.pk}


def test_a_class_name_two_majors_of_one_school_share_asks_for_the_major(college):
    for code, major in [("510203", "软件技术"), ("510204", "数字媒体技术")]:
        ClassGroupFactory.create(
            major=MajorFactory.create(school=college.school_a, moe_code=code, name=major),
            name="软媒2401",
            cohort=2027,
        )
    header = ["学号", "姓名", "性别", "学院", "班级", "专业"]
    rows = [
        ["2024030001", "周一", "男", "信息工程学院", "软媒2401", ""],
        ["2024030002", "周二", "男", "信息工程学院", "软媒2401", "数字媒体技术"],
    ]
    batch = run(college, xlsx_bytes(header, rows), "名单.xlsx")
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (2, "E列 班级", "班级名称 软媒2401 在 信息工程学院 的 软件技术、数字媒体技术 都有，请增加“专业”列"),
    ]  # fmt: skip
    student = Student.objects.get(student_number="2024030002")
    assert student.major.name == "数字媒体技术"


def test_the_api_checks_the_same_columns_and_names_the_field(college):
    records = [
        {"student_number": "2024040001", "name": "吴一", "gender": "男", "class_name": "计应2401",
         "school_name": "信息工程学院", "graduation_year": 2026},
    ]  # fmt: skip
    actor = college.personas["employment_officer"]
    result = validate_payload(STUDENTS, records, institution_id=college.institution.pk, actor=actor)
    assert [e.as_dict() for e in result.errors] == [
        {"row": 0, "column": "graduation_year", "value": "2026",
         "message": "毕业年份 2026 与班级 计应2401 的届别 2027 不符"},
    ]  # fmt: skip
    assert result.valid == []


@pytest.mark.django_db(transaction=True)  # the real worker runs the steps
def test_the_preview_and_the_check_list_the_columns_nothing_reads(college, client):
    header = ["学号", "姓名", "性别", "班级", "家长电话", "电话", "手机", "", "备注"]
    rows = [["2024050001", "郑一", "男", "计应2401", "13900000000", "", "13800000001", "", "走读"]]
    client.force_login(college.user("employment_officer"))
    response = client.post(
        reverse("students:import-list"),
        {"kind": "students", "source": "", "file": SimpleUploadedFile("名单.xlsx", xlsx_bytes(header, rows))},
    )  # fmt: skip
    call_command("worker", "--batch", "--interval", "0")
    page = client.get(response["Location"]).content.decode()

    batch = ImportBatch.objects.get()
    assert batch.mapping_by_column == {0: "student_number", 1: "name", 2: "gender", 3: "class_name",
                                       5: "phone"}  # fmt: skip
    assert unused_shown(page) == ["E列 家长电话", "G列 手机", "I列 备注"]
    assert 'data-testid="unused-count">3</span>' in page
    assert "未使用的列" in page

    form = {"sheet": "Sheet1", "header_row": 1, "col_0": "student_number", "col_1": "name",
            "col_2": "gender", "col_3": "class_name", "col_6": "phone", "save_for_source": ""}  # fmt: skip
    client.post(reverse("students:import-configure", args=[batch.pk]), form)
    call_command("worker", "--batch", "--interval", "0")
    page = client.get(response["Location"]).content.decode()
    assert ImportBatch.objects.get().status == "validated"
    assert "这些列没有对应的字段，导入时未读取（已忽略）。" in page
    assert unused_shown(page) == ["E列 家长电话", "F列 电话", "I列 备注"]


@pytest.mark.django_db(transaction=True)
def test_every_kind_lists_its_unused_columns(college, client):
    header = ["学号", "实习单位", "开始日期", "带队老师", "实习岗位"]
    rows = [["2024010001", "郑州某科技有限公司", "2026-03-01", "王老师", "运维"]]
    client.force_login(college.user("employment_officer"))
    response = client.post(
        reverse("students:import-list"),
        {"kind": "internship", "source": "", "file": SimpleUploadedFile("实习.xlsx", xlsx_bytes(header, rows))},
    )  # fmt: skip
    call_command("worker", "--batch", "--interval", "0")
    assert unused_shown(client.get(response["Location"]).content.decode()) == ["D列 带队老师"]


def unused_shown(page: str) -> list[str]:
    return re.findall(r'data-testid="unused-column">([^<]*)</li>', page)


# -- pure parts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "year"),
    [("2026", 2026), ("2026届", 2026), ("2026年", 2026), ("二〇二六", 2026), ("二零二六", 2026),
     ("二〇二六届", 2026), ("２０２６", 2026), (" 2026 ", 2026), ("○二", None), ("明年", None),
     ("2023级", None), ("26", None), ("2026.5", None), ("1989", None), ("2026-2027", None)],
)  # fmt: skip
def test_graduation_year_is_read_or_refused(raw, year):
    if year is not None:
        assert p.graduation_year(raw) == year
        return
    with pytest.raises(p.CellError) as exc:
        p.graduation_year(raw)
    expected = "是入学年级，不是毕业年份" if raw.endswith("级") else "不是毕业年份"
    assert f"“{raw}”{expected}（例如 2026 或 2026届）" == str(exc.value)


@pytest.mark.parametrize(
    ("raw", "code"),
    [("410102", "410102"), ("河南省郑州市", "410100"), ("河南省 郑州市", "410100"),
     ("郑州市", "410100"), ("郑州", "410100"), ("河南", "410000"), ("河南省", "410000"),
     ("广西南宁市", "450100"), ("新疆维吾尔自治区乌鲁木齐市", "650100"),
     ("新疆维吾尔自治区巴音郭楞蒙古自治州", "652800"), ("吉林市", "220200"),
     ("北京市", "110000")],
)  # fmt: skip
def test_a_place_of_origin_name_becomes_its_code(raw, code):
    assert p.region_code(raw) == code


@pytest.mark.parametrize(
    ("raw", "message"),
    [("吉林", "“吉林”可能指 吉林省、吉林省吉林市，请填写 6 位行政区划代码"),
     ("北京市海淀区", "“北京市海淀区”无法对应到唯一的省或地级市（区县名称无法识别），请填写 6 位行政区划代码"),
     ("市辖区", "“市辖区”无法对应到唯一的省或地级市（区县名称无法识别），请填写 6 位行政区划代码"),
     ("4101", "行政区划代码应为 6 位数字"),
     ("河南" * 16, f"“{'河南' * 16}”无法对应到唯一的省或地级市（区县名称无法识别），请填写 6 位行政区划代码")],
)  # fmt: skip
def test_a_place_name_that_names_no_single_place_is_refused(raw, message):
    with pytest.raises(p.CellError) as exc:
        p.region_code(raw)
    assert str(exc.value) == message


def test_major_codes_keep_letters_and_refuse_names():
    assert [p.major_code(v) for v in ("510201", "080901k", "80901")] == [
        "510201",
        "080901K",
        "80901",
    ]
    with pytest.raises(p.CellError) as exc:
        p.major_code("计算机")
    assert str(exc.value) == "“计算机”不是专业代码（例如 510201）"


def test_roster_headers_map_to_the_checked_fields():
    headers = ["学号", "所在学院", "专业代码", "专业名称", "毕业届", "生源地", "班级"]
    assert suggest_mapping(headers, STUDENTS) == {
        0: "student_number", 1: "school_name", 2: "major_code", 3: "major_name",
        4: "graduation_year", 5: "hukou_region_code", 6: "class_name",
    }  # fmt: skip


def test_unused_columns_have_a_header_or_a_value():
    headers = ["学号", "", "备注", ""] + [""] * 23 + ["附加"]
    rows = [["1", "x", "", ""]]
    assert [(c.letter, c.header) for c in unused_columns(headers, {0: "student_number"}, rows)] == [
        ("B", ""), ("C", "备注"), ("AB", "附加"),
    ]  # fmt: skip
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
