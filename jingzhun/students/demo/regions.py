"""Where the demo students come from: county-level regions (GB/T 2260) and work cities.

Codes are real and were chosen among those not renamed since the students were born, so the
region in an ID number is the same as the household registration (户籍) region. A Henan
college recruits mostly in its own province, with a minority from neighbouring provinces;
urban districts send fewer rural-registered students than counties do.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate


@dataclass(frozen=True)
class County:
    code: str
    name: str
    city: str
    is_district: bool  # a city district (市辖区) rather than a county or county-level city
    weight: float  # relative number of students

    @property
    def rural_share(self) -> float:
        return 0.35 if self.is_district else 0.82

    @property
    def office_prefix(self) -> str:
        """How local offices are named: 郸城县民政局, but 周口市川汇区民政局."""
        return f"{self.city}{self.name}" if self.is_district else self.name


def _c(code: str, name: str, city: str, weight: float = 1.0) -> County:
    return County(code, name, city, is_district=name.endswith("区"), weight=weight)


COUNTIES: tuple[County, ...] = (
    _c("410102", "中原区", "郑州市", 0.8),
    _c("410105", "金水区", "郑州市", 0.8),
    _c("410122", "中牟县", "郑州市"),
    _c("410181", "巩义市", "郑州市"),
    _c("410184", "新郑市", "郑州市"),
    _c("410221", "杞县", "开封市", 1.2),
    _c("410223", "尉氏县", "开封市"),
    _c("410225", "兰考县", "开封市"),
    _c("410303", "西工区", "洛阳市", 0.6),
    _c("410325", "嵩县", "洛阳市"),
    _c("410329", "伊川县", "洛阳市"),
    _c("410411", "湛河区", "平顶山市", 0.6),
    _c("410423", "鲁山县", "平顶山市"),
    _c("410482", "汝州市", "平顶山市", 1.2),
    _c("410502", "文峰区", "安阳市", 0.6),
    _c("410526", "滑县", "安阳市", 1.5),
    _c("410527", "内黄县", "安阳市"),
    _c("410581", "林州市", "安阳市"),
    _c("410621", "浚县", "鹤壁市"),
    _c("410702", "红旗区", "新乡市", 0.6),
    _c("410725", "原阳县", "新乡市"),
    _c("410727", "封丘县", "新乡市"),
    _c("410782", "辉县市", "新乡市"),
    _c("410823", "武陟县", "焦作市"),
    _c("410882", "沁阳市", "焦作市", 0.8),
    _c("410922", "清丰县", "濮阳市"),
    _c("410928", "濮阳县", "濮阳市", 1.2),
    _c("411002", "魏都区", "许昌市", 0.6),
    _c("411081", "禹州市", "许昌市", 1.2),
    _c("411082", "长葛市", "许昌市"),
    _c("411122", "临颍县", "漯河市"),
    _c("411282", "灵宝市", "三门峡市", 0.8),
    _c("411303", "卧龙区", "南阳市", 0.8),
    _c("411324", "镇平县", "南阳市"),
    _c("411326", "淅川县", "南阳市"),
    _c("411328", "唐河县", "南阳市", 1.4),
    _c("411381", "邓州市", "南阳市", 1.6),
    _c("411402", "梁园区", "商丘市", 0.7),
    _c("411421", "民权县", "商丘市"),
    _c("411425", "虞城县", "商丘市", 1.2),
    _c("411426", "夏邑县", "商丘市", 1.2),
    _c("411481", "永城市", "商丘市", 1.4),
    _c("411502", "浉河区", "信阳市", 0.6),
    _c("411522", "光山县", "信阳市"),
    _c("411525", "固始县", "信阳市", 1.6),
    _c("411528", "息县", "信阳市", 1.1),
    _c("411602", "川汇区", "周口市", 0.7),
    _c("411623", "商水县", "周口市", 1.3),
    _c("411625", "郸城县", "周口市", 1.4),
    _c("411627", "太康县", "周口市", 1.5),
    _c("411628", "鹿邑县", "周口市", 1.2),
    _c("411681", "项城市", "周口市", 1.2),
    _c("411702", "驿城区", "驻马店市", 0.7),
    _c("411722", "上蔡县", "驻马店市", 1.3),
    _c("411723", "平舆县", "驻马店市"),
    _c("411729", "新蔡县", "驻马店市", 1.2),
    _c("419001", "济源市", "济源市", 0.6),
    _c("341221", "临泉县", "阜阳市", 0.6),
    _c("341623", "利辛县", "亳州市", 0.5),
    _c("371721", "曹县", "菏泽市", 0.5),
    _c("371722", "单县", "菏泽市", 0.4),
    _c("130425", "大名县", "邯郸市", 0.4),
    _c("140821", "临猗县", "运城市", 0.3),
    _c("420683", "枣阳市", "襄阳市", 0.4),
    _c("610526", "蒲城县", "渭南市", 0.3),
)

COUNTY_CUM_WEIGHTS: tuple[float, ...] = tuple(accumulate(c.weight for c in COUNTIES))

# Where vocational graduates of a Henan college intern and work (city, relative share).
WORK_CITIES: tuple[tuple[str, float], ...] = (
    ("郑州市", 40), ("洛阳市", 5), ("新乡市", 3), ("许昌市", 3), ("南阳市", 3), ("开封市", 2),
    ("商丘市", 2), ("周口市", 2), ("上海市", 5), ("苏州市", 6), ("深圳市", 6), ("杭州市", 4),
    ("北京市", 4), ("广州市", 3), ("武汉市", 3), ("西安市", 3), ("东莞市", 3), ("宁波市", 3),
)  # fmt: skip
WORK_CITY_NAMES: tuple[str, ...] = tuple(name for name, _ in WORK_CITIES)
WORK_CITY_CUM_WEIGHTS: tuple[float, ...] = tuple(accumulate(weight for _, weight in WORK_CITIES))
COASTAL_CITIES = frozenset(
    {"上海市", "苏州市", "深圳市", "杭州市", "北京市", "广州市", "东莞市", "宁波市"}
)
