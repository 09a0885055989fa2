#!/usr/bin/env bash
# The main job on the embedded default (SQLite): install, load the EXAMPLE district through the
# real import path, compute the 2021 scorecard, write reports to out/, print the summary, then
# serve the web app on 127.0.0.1:8000 and print a login. FOODSAFE_DEMO_SERVE=0 skips serving.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

FS=.venv/bin/foodsafe
EXAMPLE_DIR=var/example-district
$FS migrate --noinput -v 0
$FS loadprogramme
echo "== 生成示例区数据（示例数据 / example data）: $EXAMPLE_DIR"
$FS example-district --out "$EXAMPLE_DIR" --population "${FOODSAFE_EXAMPLE_POPULATION:-355000}" --seed 2021
echo "== 经导入流程载入 (through the import path)"
$FS import-dir "$EXAMPLE_DIR"
echo "== 零报告：无事件的街道和年度 (zero reports where the example district had no incident)"
$FS demo-user >/dev/null
$FS zero-report --file "$EXAMPLE_DIR/zero_reports.csv" --as office
echo "== 2021 年度风险分级：评定并按评定结果确认 (risk grades 2021: graded and confirmed as scored)"
$FS grade --year 2021 --step assess --step confirm-grade --as office
echo "== 信用档案归集，2021 年 10 月信用风险分类并确认 (credit files; October 2021 credit classes, confirmed)"
$FS credit --refresh --assess 202110 --confirm --as office
echo "== 2021 年第四季度监督检查计划（双随机抽取，种子 2021）(inspection plan 2021Q4, recorded draw)"
$FS inspection-plan --org 120101000000 --period 2021Q4 --seed 2021 --if-missing
echo "== 2021 年度抽检计划、一批不合格食品的核查处置和信息公开 (sampling plan 2021, one disposal, publication)"
$FS sampling-example --org 120101000000 --year 2021 --as office
echo "== 任务推进：阶段工作、责任人、节点和 2021 年的会议（示例数据）(tasks, people and meetings)"
$FS workplan-example --as office
echo "== 2021 年度评价 (scorecard 2021)"
$FS assess --org 120101000000 --period 2021 --out out
if [ "${FOODSAFE_DEMO_SERVE:-1}" = "0" ]; then
    exit 0
fi
$FS demo-user
# DEBUG stays off (no debug pages); WhiteNoise serves the collected static files. The demo is
# plain http on 127.0.0.1, so the session and CSRF cookies must not be marked Secure there.
$FS collectstatic --noinput -v 0
export FOODSAFE_SECURE_COOKIES="${FOODSAFE_SECURE_COOKIES:-0}"
echo "== 网页 / web: http://127.0.0.1:8000/  (Ctrl-C 停止)"
# The production server (gunicorn, `foodsafe serve`), not Django's runserver; its workers share
# the file cache under var/cache, so a scorecard computed by one is served by all.
FOODSAFE_SCORECARD_CACHE_SECONDS="${FOODSAFE_SCORECARD_CACHE_SECONDS:-600}" exec $FS serve --bind 127.0.0.1:8000
