"""Generate examples/places.csv: a plausible 底数清单 for the example county (examples/roster.csv), deterministically.

Run: .venv/bin/python scripts/example_places.py  (writes examples/places.csv; the same output every time)
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The 九小场所 in the proportions one town reported (68 workshops, 163 shops, 12 beauty/bath, 3 hotels, 47 clinics,
# 62 restaurants of 355), then the other types.
TYPES = [
    ("小生产加工企业", 68, ["{s}五金加工厂", "{s}木器加工坊", "{s}食品加工作坊", "{s}竹编厂", "{s}米粉加工厂"]),
    ("小商店", 163, ["{s}便民超市", "{s}日杂店", "{s}烟酒店", "{s}副食店", "{s}农资店", "{s}建材店"]),
    ("小美容院/洗浴", 12, ["{s}美发店", "{s}足浴店", "{s}美容院"]),
    ("小旅馆", 3, ["{s}旅社", "{s}招待所"]),
    ("小诊所", 47, ["{s}卫生室", "{s}诊所", "{s}药店"]),
    ("小餐馆", 62, ["{s}饭店", "{s}小吃店", "{s}农家乐", "{s}面馆"]),
    ("企业", 20, ["{s}建材有限公司", "{s}化工有限公司", "{s}烟花爆竹仓库", "{s}砖厂", "{s}加油站"]),
    ("沿街门店", 40, ["{s}门面"]),
    ("自建房", 25, ["{s}自建出租房"]),
    ("学校/幼儿园", 8, ["{s}幼儿园", "{s}小学"]),
    ("敬老院", 3, ["{s}敬老院"]),
    ("卫生院", 2, ["{s}卫生院"]),
    ("商超", 4, ["{s}购物广场"]),
]
INDUSTRIES = {"化工": True, "烟花爆竹": True, "加油站": True, "建材": False, "砖": False}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰华建国红梅志文德海荣春玉"
GRADES = ["黄"] * 45 + ["蓝"] * 40 + ["橙"] * 12 + ["红"] * 3


def main() -> None:
    """Write examples/places.csv from examples/roster.csv's villages."""
    rng = random.Random(18)
    with (ROOT / "examples" / "roster.csv").open(encoding="utf-8") as f:
        villages = sorted({(r["town"], r["village"]) for r in csv.DictReader(f) if r["village"]})
    weights = [count for _, count, _ in TYPES]
    rows = []
    for index, (town, village) in enumerate(villages):
        stem = village.removesuffix("村").removesuffix("社区")
        names: set[str] = set()
        for _ in range(rng.randint(3, 8)):
            kind, _, patterns = rng.choices(TYPES, weights)[0]
            name = rng.choice(patterns).format(s=stem)
            if name in names:
                name = f"{name}（{rng.choice('东南西北')}）"
            if name in names:
                continue
            names.add(name)
            industry, high_risk = "", ""
            grade = rng.choice(GRADES)
            if kind == "企业":
                industry = next((word for word in INDUSTRIES if word in name), "其他制造")
                high_risk = "是" if INDUSTRIES.get(industry) else "否"
                grade = rng.choice(["红", "橙"]) if high_risk == "是" else rng.choice(["橙", "黄"])
            owner = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
            phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
            lat = 28.1 + index * 0.004 + rng.uniform(-0.01, 0.01)
            lon = 112.9 + (index % 13) * 0.02 + rng.uniform(-0.01, 0.01)
            status = "在营" if rng.random() > 0.04 else rng.choice(["停业整顿", "关闭"])
            address = f"{town}{village}{rng.randint(1, 12)}组{rng.randint(1, 99)}号"
            rows.append(
                [
                    town,
                    village,
                    name,
                    kind,
                    address,
                    f"{lat:.5f}",
                    f"{lon:.5f}",
                    owner,
                    phone,
                    grade,
                    status,
                    industry,
                    high_risk,
                ]
            )
    with (ROOT / "examples" / "places.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(
            ["镇", "村", "名称", "类型", "地址", "纬度", "经度", "责任人", "电话", "风险等级", "状态", "行业", "高危"]
        )
        writer.writerows(rows)


if __name__ == "__main__":
    main()
