"""The ratios a synthetic jurisdiction is built from, each with its source or reason.

Tags as in RULES.md: **[P]** primary text (the seed plan, a law), **[S]** secondary source,
**[M]** order of magnitude recalled from national statistics, not checked, **[I]** a design
assumption made here so that the data look like a district that is running the drive (most
targets met, a few realistic gaps). Change a number here, never in the generators.
"""

from __future__ import annotations

from datetime import date

#: Years the ledgers cover: the drive's year and the year before (the two-year inspection rule
#: looks back 24 months, 监督检查管理办法 第二十二条). Incidents also cover 2019 (veto lookback of
#: three years, 否决项二/三).
YEARS = (2020, 2021)
INCIDENT_YEARS = (2019, 2020, 2021)
#: The data are a snapshot taken at the end of 2021: nothing is dated after this day (work not
#: finished by then has no completion date). Deadlines may lie after it.
SNAPSHOT = date(2021, 12, 31)

# -- shape ---------------------------------------------------------------------------------------
#: A district's subdistricts hold ~60,000 residents each [I]: 和平区 (SEED) has about 0.35 M
#: residents in 6 subdistricts.
RESIDENTS_PER_SUBDISTRICT = 60_000
#: Up to this population the jurisdiction is one district (县区级) [I].
MAX_DISTRICT_POPULATION = 2_000_000
#: A city's districts hold ~625,000 residents (10 M ↔ 16 districts, like 天津市) [I].
RESIDENTS_PER_DISTRICT = 625_000
#: Up to this population the jurisdiction is one city (地市级); above, a province [I].
MAX_CITY_POPULATION = 25_000_000
#: A province's cities hold ~10 M residents (50 M ↔ 5 cities) [I].
RESIDENTS_PER_CITY = 10_000_000
#: Spread of unit sizes: lognormal weights with this sigma [I] (urban subdistricts differ by a
#: factor of 2–3, RESIDENTS_PER_* are means).
UNIT_SIZE_SIGMA = 0.35
#: Yearly change of a unit's population between 2020 and 2021 (sd), the total staying N [I].
POPULATION_SHIFT_SD = 0.01

# -- food businesses (registry) --------------------------------------------------------------
#: About 15 food businesses per 1,000 residents (issue 5; China has roughly 15–20 M licensed
#: or registered food operators for 1.41 bn people [M]). Formats spread in proportion to
#: population, per 1,000 residents; catering is the largest share (~56 %) and production is
#: small in an urban district [I]. School canteens: 1 per 2,000 residents (issue 5) [I].
BUSINESSES_PER_THOUSAND = {
    "manufacturer": 0.20,
    "small_workshop": 0.15,
    "supermarket": 0.55,
    "grocery": 4.50,
    "food_stall": 0.90,
    "restaurant": 4.10,
    "small_eatery": 3.40,
    "workplace_canteen": 0.45,
    "school_canteen": 0.50,
    "other": 0.20,
}
#: Formats present a few times per district whatever its size (mean count for a district of
#: 350,000; scaled by the square root of its size) [I]: 实施方案 第18条 names chain HQs, large
#: wholesalers and wholesale-market operators as the formats that must self-inspect.
BUSINESSES_PER_DISTRICT = {
    "chain_hq": 3.0,
    "large_wholesaler": 3.0,
    "wholesale_market": 1.0,
    "central_kitchen": 2.0,
    "group_meal_distributor": 2.0,
    "ordering_platform": 0.3,
}
#: Produce markets (食用农产品集中交易市场): about one per 50,000 residents [I].
PRODUCE_MARKETS_PER_THOUSAND = 0.02
SECTOR_OF_FORMAT = {
    "manufacturer": "production",
    "small_workshop": "production",
    "supermarket": "sales",
    "grocery": "sales",
    "chain_hq": "sales",
    "large_wholesaler": "sales",
    "wholesale_market": "sales",
    "produce_market": "sales",
    "food_stall": "sales",
    "other": "sales",
    "restaurant": "catering",
    "small_eatery": "catering",
    "school_canteen": "catering",
    "workplace_canteen": "catering",
    "central_kitchen": "catering",
    "group_meal_distributor": "catering",
    "ordering_platform": "catering",
}
#: Formats that hold no licence (备案/登记 only): the "three smalls" (RULES.md §1.2 item 17) [I].
UNLICENSED_FORMATS = ("small_workshop", "food_stall", "small_eatery")
#: Formats without a USCC: stalls are often unregistered natural persons [I].
NO_USCC_FORMATS = ("food_stall",)
#: Risk levels A–D overall ~40/35/20/5 % (issue 5). The 2016 tier Ⅳ (RULES.md §2.2 [S]) —
#: school and workplace canteens, central kitchens, group-meal distributors — are graded higher.
HIGH_RISK_FORMATS = ("school_canteen", "workplace_canteen", "central_kitchen",
                     "group_meal_distributor", "manufacturer")  # fmt: skip
RISK_SHARES_HIGH = (0.10, 0.35, 0.40, 0.15)
RISK_SHARES_OTHER = (0.42, 0.35, 0.19, 0.04)
#: Business age at the end of 2021: exponential, mean 7 years, at most 30 [I] (catering churns
#: fast); 3 % of rows lack an opening date (old paper records) [I].
MEAN_AGE_YEARS = 7.0
NO_OPENING_DATE_SHARE = 0.03
#: Share closed (注销/停业) by the snapshot, closing dated 2018–2021 [I]; a few of them without
#: a closing date [I].
CLOSED_SHARE = 0.06
CLOSED_WITHOUT_DATE_SHARE = 0.05

# -- inspections (监督检查) ------------------------------------------------------------------
#: Inspections per year by risk level: A ≥1 per 2 years, B 1, C 2, D 3 (RULES.md §2.4: the 2022
#: SAMR draft and 安徽 2022 [S]). A-level businesses are planned in one of the two years.
INSPECTIONS_PER_YEAR = {"A": 0.5, "B": 1.0, "C": 2.0, "D": 3.0}
#: Share of planned routine inspections actually done [I].
PLAN_DONE_SHARE = 0.98
#: Full-checklist share by inspection type [I]: routine and random inspections check every
#: point (监督检查管理办法 第二十二条 needs one every 2 years), special campaigns and complaint
#: visits only some.
FULL_CHECKLIST_SHARE = {
    "routine": 0.95,
    "random": 0.85,
    "special": 0.10,
    "complaint": 0.05,
    "term_start": 0.70,
    "follow_up": 0.0,
}
#: Extra inspections per business per year: 双随机 and special campaigns [I].
RANDOM_INSPECTION_RATE = 0.05
SPECIAL_INSPECTION_RATE = 0.08
#: Share of complaints naming a business that lead to an inspection within 10 days [I].
COMPLAINT_INSPECTION_SHARE = 0.30
#: Inspection results [I]; inspections needing rectification are followed up in 7–30 days.
RESULT_SHARES = {"compliant": 0.80, "rectify": 0.17, "noncompliant": 0.02, "not_scored": 0.01}
FOLLOW_UP_SHARE = 0.60
#: Findings per inspection needing rectification: 1 + Poisson(0.8) [I].
EXTRA_FINDINGS_MEAN = 0.8
#: Term-start checks of school canteens (开学检查, 实施方案 第5条 [P]): windows inside the
#: scorecard's default windows (02-01..03-31, 08-15..09-30); spring 2020 schools reopened late
#: because of COVID-19, so that term's checks fall in April–May [I]. Coverage 98.5 % [I].
TERM_WINDOWS = {
    (2020, "spring"): (date(2020, 4, 20), date(2020, 5, 31)),
    (2020, "autumn"): (date(2020, 8, 20), date(2020, 9, 15)),
    (2021, "spring"): (date(2021, 2, 15), date(2021, 3, 20)),
    (2021, "autumn"): (date(2021, 8, 20), date(2021, 9, 15)),
}
TERM_START_COVERAGE = 0.985

# -- sampling (食品抽检) -----------------------------------------------------------------------
#: All batches per 1,000 residents per year, drawn per district [I]: 2021 4–6 (issue 5; the
#: target is ≥ 4 counted batches, 实施方案 第13条 [P]; 大同 reached 5.36 [S] RULES.md §1.6);
#: 2020, before the drive, a little less.
BATCHES_PER_THOUSAND = {2020: (3.8, 5.0), 2021: (4.8, 6.0)}
#: Sampling types of all batches [I]: evaluation ≈ 20 % (issue 5); rapid tests are not counted
#: by the volume indicator (RULES.md §1.6).
SAMPLING_TYPE_SHARES = {
    "surveillance": 0.57,
    "evaluation": 0.20,
    "risk_monitoring": 0.08,
    "rapid_test": 0.15,
}
#: Share of batches organised by the agriculture department (农业农村部门 例行监测) at farms and
#: bases, with no business [I]; always edible farm produce.
AGRICULTURE_SHARE = 0.06
#: Pass rate by sampling type (issue 5: 97–99 %) [I]; 评价性抽检 ≥ 98 % is veto 5 [P].
PASS_RATE = {
    "surveillance": 0.975,
    "evaluation": 0.988,
    "risk_monitoring": 0.96,
    "rapid_test": 0.99,
}
#: Stage × format cells the sampling plan covers first with one surveillance batch each
#: (the heping-2021 spec's ``required_cells``, 实施方案 第6条 [P]).
REQUIRED_CELLS = (
    ("production", "manufacturer"),
    ("production", "small_workshop"),
    ("circulation", "supermarket"),
    ("circulation", "grocery"),
    ("circulation", "produce_market"),
    ("circulation", "wholesale_market"),
    ("catering", "restaurant"),
    ("catering", "small_eatery"),
    ("catering", "school_canteen"),
    ("catering", "central_kitchen"),
    ("online", "ordering_platform"),
)
#: Where the other batches are taken, by format [I]: markets and supermarkets for produce,
#: restaurants for catering food; online batches are bought from listed caterers.
SAMPLING_FORMAT_WEIGHTS = {
    "manufacturer": 0.08,
    "small_workshop": 0.04,
    "supermarket": 0.20,
    "grocery": 0.12,
    "produce_market": 0.20,
    "wholesale_market": 0.08,
    "restaurant": 0.12,
    "small_eatery": 0.06,
    "school_canteen": 0.04,
    "central_kitchen": 0.01,
    "online": 0.05,
}
#: Test items per batch: 2–5 [I]. Lab report 5–25 days after sampling (20 working days,
#: 抽检办法 第二十四条 [S]); publication 10–40 days after the report; disposal of nonconforming
#: food 20–85 days after the report (90 days, 第四十五条 [M]).
TEST_ITEMS_RANGE = (2, 5)

# -- complaints, cases, incidents -------------------------------------------------------------
#: Complaints and reports per 1,000 residents per year (issue 5) [I]; food ~70 %.
COMPLAINTS_PER_THOUSAND = 3.0
FOOD_COMPLAINT_SHARE = 0.70
REPORT_SHARE = 0.20  # 举报 among 投诉举报
#: Decisions [I]; decided within 1–7 working days, 0.8 % late; mediation closed within 45
#: working days, 1.2 % late; 6 % with 3–20 working days of testing not counted (第二十条 [P]).
REFUSED_SHARE = 0.15
LATE_DECISION_SHARE = 0.008
LATE_CLOSING_SHARE = 0.012
SUSPENDED_SHARE = 0.06
COMPLAINT_NAMES_BUSINESS_SHARE = 0.70
#: Case leads per 1,000 residents per year: about 0.2 filed food cases (SAMR: some 270,000 food
#: cases a year nationally [M]) [I]; 85 % of leads meet the filing criteria; 99.3 % of those are
#: filed within 1–20 days; cases close in 15–90 days (90-day limit, RULES.md §4.2 [S]), 2 % later.
CASE_LEADS_PER_THOUSAND = 0.25
SHOULD_FILE_SHARE = 0.85
FILED_SHARE = 0.993
LATE_CASE_SHARE = 0.02
INDIVIDUAL_PENALTY_SHARE = 0.08
CRIMINAL_REFERRAL_SHARE = 0.02
#: Food-safety incidents: about one per 500,000 residents per year, nearly all 一般 (IV); a
#: 重大 (II) one or one with serious social impact is very rare — either is a veto [I].
INCIDENTS_PER_THOUSAND = 0.002
SEVERITY_SHARES = {"IV": 0.979, "III": 0.02, "II": 0.001}
INCIDENT_KIND_SHARES = {
    "poisoning": 0.70,
    "campus": 0.10,
    "residue": 0.08,
    "illegal_additive": 0.05,
    "other": 0.07,
}
SERIOUS_IMPACT_SHARE = 0.005

# -- workforce, schools, grain, self-inspection, surveys --------------------------------------
#: About 1 food-safety inspector per 3,000 residents (issue 5) [I]; 15 % of them at the
#: district bureau, the rest in subdistrict offices (市场监管所); another 20 % of staff are not
#: food inspectors. Professional background ~75 % (target ≥ 70 %, 实施方案 第12条 [P]).
RESIDENTS_PER_INSPECTOR = 3_000
BUREAU_STAFF_SHARE = 0.15
NON_FOOD_STAFF_SHARE = 0.20
PROFESSIONAL_SHARE = (0.70, 0.80)
STAFF_LEFT_SHARE = 0.04
#: Training (target ≥ 40 学时 per person per year and 100 % coverage [P]): 1 % untrained and 3 %
#: short of 40 hours each year [I]; courses of 4–16 hours.
UNTRAINED_SHARE = 0.01
SHORT_HOURS_SHARE = 0.03
COURSE_HOURS = (4.0, 6.0, 8.0, 8.0, 12.0, 16.0, 3.5)
#: School types of canteens [I] (kindergartens are the most numerous schools in China [M]);
#: 互联网+明厨亮灶 live at 98.5 % by the end of 2021 (target 100 %, 实施方案 第29条 [P]).
SCHOOL_TYPE_SHARES = {
    "kindergarten": 0.45,
    "primary": 0.30,
    "secondary": 0.18,
    "vocational": 0.04,
    "other": 0.03,
}
BRIGHT_KITCHEN_SHARE = 0.985
#: Grain depots: 1 + Poisson(residents / 200,000) per district [I]; stock lognormal with median
#: 15,000 t; 28–45 % of the stock monitored (target ≥ 25 %, 实施方案 第4条 [P]), 5 % of depot
#: years short [I]; 4 % of tests find a problem, 97 % of those handled within 5–40 days [I].
RESIDENTS_PER_DEPOT = 200_000
MEDIAN_STOCK_TONNES = 15_000.0
MONITORED_SHARE = (0.28, 0.45)
SHORT_MONITORING_SHARE = 0.05
GRAIN_PROBLEM_SHARE = 0.04
GRAIN_HANDLED_SHARE = 0.97
#: Self-inspection reports (实施方案 第18条 [P]): the formats that must report do so quarterly;
#: 1.5 % of them file nothing in a year [I]; 30 % of supermarkets, manufacturers, central
#: kitchens and group-meal distributors file once a year [I].
MUST_SELF_REPORT = ("chain_hq", "large_wholesaler", "wholesale_market")
SELF_REPORT_MISSING_SHARE = 0.015
QUARTERLY_REPORT_SHARE = 0.90  # a reporting business skips a quarter now and then [I]
VOLUNTARY_SELF_REPORT = ("supermarket", "manufacturer", "central_kitchen", "group_meal_distributor")
VOLUNTARY_SELF_REPORT_SHARE = 0.30
#: Satisfaction and awareness survey: ~300 responses per district per year (issue 5) in
#: September–November [I]; district mean score 82–90 (target ≥ 80 [P]), individual sd 9;
#: awareness 86–95 % (target ≥ 85 [P]); 3 % skip the awareness question [I].
SURVEY_RESPONSES_PER_DISTRICT = 300
SURVEY_WINDOWS = {2020: (date(2020, 10, 10), date(2020, 11, 20)),
                  2021: (date(2021, 9, 1), date(2021, 10, 15))}  # fmt: skip
SATISFACTION_MEAN = (82.0, 90.0)
SATISFACTION_SD = 9.0
AWARENESS = (0.86, 0.95)
AWARENESS_SKIPPED_SHARE = 0.03

# -- operators' obligations (issue 19) ---------------------------------------------------------
#: 实施方案 第20条 [P]: school canteens, group-meal distributors and central kitchens insure.
INSURED_FORMATS = ("school_canteen", "group_meal_distributor", "central_kitchen")
#: Never insured, and a year's policy not renewed [I]: most comply, a few gaps show.
UNINSURED_SHARE = 0.03
POLICY_LAPSE_SHARE = 0.04
#: "Three smalls" never registered or filed (第17条 asks all of them to) [I].
UNREGISTERED_SHARE = 0.02
#: Formats whose staff handle ready-to-eat food (第18条 健康证明) and the mean roster size [I];
#: a few certificates lapse unrenewed [I].
HANDLER_FORMATS = ("restaurant", "small_eatery", "school_canteen", "workplace_canteen",
                   "central_kitchen", "group_meal_distributor", "manufacturer",
                   "small_workshop", "food_stall")  # fmt: skip
HANDLERS_PER_BUSINESS = 3.0
EXPIRED_CERTIFICATE_SHARE = 0.02
#: Manufacturers above the designated size (规模以上, 年主营业务收入 ≥ 2000 万元) [M], and of
#: those, the share certified GMP/HACCP (第18条) [I].
ABOVE_SIZE_SHARE = 0.3
CERTIFIED_SHARE = 0.9

# -- risk monitoring and emergency response (issue 19) -----------------------------------------
#: Sentinel medical institutions (食源性疾病监测医疗机构): at least one per district, and a
#: quarter of the subdistricts have one [I]; 1 % of monthly reports missed [I]; about 3
#: foodborne-disease events per district a year, 5 % reported late [I].
SENTINEL_LEAF_SHARE = 0.25
SENTINEL_MISSED_SHARE = 0.01
DISEASE_EVENTS_PER_DISTRICT = 3.0
LATE_EVENT_SHARE = 0.05
#: A district's emergency plan last revised more than 3 years ago [I]; a live drill in the
#: office's or government's name in a given year [I].
STALE_PLAN_SHARE = 0.1
DRILL_SHARE = 0.9
