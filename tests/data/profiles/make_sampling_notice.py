"""Write tests/data/profiles/sampling_notice.xlsx, a small notice sheet the profile tests read.

Run from the repository root: ``.venv/bin/python tests/data/profiles/make_sampling_notice.py``.
The file is committed; this script says how it was made.

TEST DATA (测试数据): the layout is that of the nonconforming-products table (不合格产品信息) of a
食品安全监督抽检 notice — a merged title row and the usual declaration row above the header,
the columns 序号 … 备注 in their published order, the failed items joined as
不合格项目║检验结果║标准值 with several items split by line breaks or "；", "/" where a field
does not apply (食用农产品 have no producer), and a note under the table. The firms, results
and the notice number are invented; every row says 测试数据 in 备注.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import xlsxwriter

OUT = Path(__file__).resolve().parent / "sampling_notice.xlsx"
CREATED = datetime(2021, 9, 1)  # fixed, so that regenerating gives the same bytes

HEADER = [
    "序号",
    "标称生产企业名称",
    "标称生产企业地址",
    "被抽样单位名称",
    "被抽样单位所在省份",
    "食品名称",
    "规格型号",
    "商标",
    "生产日期/批号",
    "不合格项目║检验结果║标准值",
    "分类",
    "公告号",
    "公告日期",
    "任务来源/项目名称",
    "检验机构",
    "备注",
]
NOTICE = "2021年第35号"
PUBLISHED = date(2021, 8, 20)
TASK = "国家市场监督管理总局"
LAB = "测试食品检验研究院（测试数据）"
NOTE = "测试数据"

ROWS = [
    [
        1,
        "/",
        "/",
        "和平区测试生鲜超市",
        "天津",
        "芹菜",
        "/",
        "/",
        "购进日期:2021-07-12",
        "毒死蜱║0.12mg/kg║≤0.05mg/kg\n甲拌磷║0.035mg/kg║≤0.01mg/kg",
        "食用农产品",
    ],
    [
        2,
        "/",
        "/",
        "和平区测试农贸市场王某某",
        "天津",
        "鸡蛋",
        "/",
        "/",
        "购进日期:2021-07-10",
        "恩诺沙星║25.3μg/kg║不得检出；氟苯尼考║12.1μg/kg║不得检出",
        "食用农产品",
    ],
    [
        3,
        "/",
        "/",
        "和平区测试便利店",
        "天津",
        "韭菜",
        "/",
        "/",
        "购进日期:2021-07-15",
        "腐霉利║1.52mg/kg║≤0.2mg/kg",
        "食用农产品",
    ],
    [
        4,
        "/",
        "/",
        "和平区测试饭店",
        "天津",
        "复用餐饮具（自消毒）",
        "/",
        "/",
        "消毒日期:2021-07-20",
        "大肠菌群║检出/50cm²║不得检出/50cm²\n阴离子合成洗涤剂（以十二烷基苯磺酸钠计）║0.035mg/100cm²║不得检出",
        "餐饮食品",
    ],
    [
        5,
        "天津市测试食品有限公司",
        "天津市和平区测试路8号",
        "天津市测试食品有限公司",
        "天津",
        "蛋糕",
        "散装称重",
        "/",
        "2021-07-18",
        "菌落总数║3.1×10⁵,2.2×10⁵,1.8×10⁵,4.0×10⁵,2.7×10⁵CFU/g║n=5,c=2,m=10⁴,M=10⁵CFU/g；"
        "霉菌║270CFU/g║≤150CFU/g",
        "糕点",
    ],
    [
        6,
        "测试调味品有限公司",
        "某省某市测试工业园",
        "测试食品专营店",
        "浙江",
        "辣椒酱",
        "200克/瓶",
        "测试牌",
        "2021-03-02",
        "苯甲酸及其钠盐（以苯甲酸计）║0.368g/kg║不得使用",
        "调味品",
    ],
    [
        7,
        "/",
        "/",
        "和平区测试购物广场",
        "天津",
        "猪肉",
        "/",
        "/",
        "检疫日期:2021-07-16",
        "克伦特罗║0.62μg/kg║不得检出\n磺胺类（总量）║168μg/kg║≤100μg/kg",
        "食用农产品",
    ],
]
FOOTNOTE = "注：以上信息仅指本次抽检标称的生产企业相关产品的生产日期/批号和所检项目（测试数据）。"


def main() -> None:
    workbook = xlsxwriter.Workbook(str(OUT))
    workbook.set_properties({"created": CREATED, "author": "foodsafe tests"})
    sheet = workbook.add_worksheet("不合格产品信息")
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    title = workbook.add_format({"bold": True, "align": "center"})
    dated = workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
    last = len(HEADER) - 1
    sheet.merge_range(
        0, 0, 0, last, "食品安全监督抽检不合格产品信息（测试数据，非真实通告）", title
    )
    sheet.merge_range(
        1,
        0,
        1,
        last,
        "（声明：以下信息仅指本次抽检标称的生产企业相关产品的生产日期/批号和所检项目）",
    )
    sheet.write_row(2, 0, HEADER)
    for offset, row in enumerate(ROWS):
        r = 3 + offset
        for c, value in enumerate(row):
            sheet.write(r, c, value, wrap)
        sheet.write(r, 11, NOTICE, wrap)
        sheet.write_datetime(r, 12, datetime.combine(PUBLISHED, datetime.min.time()), dated)
        sheet.write(r, 13, TASK, wrap)
        sheet.write(r, 14, LAB, wrap)
        sheet.write(r, 15, NOTE, wrap)
    sheet.merge_range(3 + len(ROWS), 0, 3 + len(ROWS), last, FOOTNOTE)
    workbook.close()


if __name__ == "__main__":
    main()
