#!/usr/bin/env python3
"""Smoke test of the finops-crawler-sim executable, driven by botocore.

Starts the binary on a free port, reads the printed endpoint, calls every
operation through botocore (AWS's own SigV4 signer and protocol code, an
implementation independent of this project's), follows GetCostAndUsage
pages, checks /__sim/stats, then stops the binary with SIGINT and checks the
counters it prints. Exits 77 (meson: skipped) when botocore is not installed.
Every wait is bounded.
"""
import json
import signal
import subprocess
import sys
import urllib.request

try:
    import botocore.session
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError:
    print("skipped: python3 botocore is not installed")
    sys.exit(77)

KEY = "AKIAFINOPSSIM0EXAMPL"
SECRET = "finopsSimulatorSecretKey0000000000EXAMPLE"


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def main():
    exe = sys.argv[1]
    proc = subprocess.Popen(
        [exe, "--seed", "3", "--accounts", "4", "--start-date", "2024-05-01", "--days", "10", "--page-size", "7"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline().strip()
        if not first.startswith("listening on http://127.0.0.1:"):
            fail("unexpected first line: %r" % first)
        endpoint = first.split()[-1]
        exports = [proc.stdout.readline() for _ in range(6)]
        if not any(("export AWS_ENDPOINT_URL=" + endpoint) in line for line in exports):
            fail("no AWS_ENDPOINT_URL export line: %r" % exports)

        session = botocore.session.get_session()
        kw = dict(region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id=KEY,
                  aws_secret_access_key=SECRET, config=Config(retries={"max_attempts": 1}))
        ce = session.create_client("ce", **kw)
        pages, groups, token = 0, 0, None
        for _ in range(100):
            args = dict(TimePeriod={"Start": "2024-05-01", "End": "2024-05-11"}, Granularity="DAILY",
                        Metrics=["UnblendedCost"],
                        GroupBy=[{"Type": "DIMENSION", "Key": "SERVICE"}, {"Type": "DIMENSION", "Key": "USAGE_TYPE"}])
            if token:
                args["NextPageToken"] = token
            r = ce.get_cost_and_usage(**args)
            pages += 1
            groups += sum(len(p["Groups"]) for p in r["ResultsByTime"])
            token = r.get("NextPageToken")
            if not token:
                break
        if pages < 2 or groups < 10:
            fail("expected several pages, got %d pages, %d groups" % (pages, groups))
        if (groups + 6) // 7 != pages:
            fail("%d groups in %d pages of 7" % (groups, pages))

        dv = ce.get_dimension_values(TimePeriod={"Start": "2024-05-01", "End": "2024-05-11"}, Dimension="LINKED_ACCOUNT")
        if dv["TotalSize"] != 4 or not all("description" in v["Attributes"] for v in dv["DimensionValues"]):
            fail("GetDimensionValues: %r" % dv)
        # GetTags and GetCostCategories as botocore (AWS's own model) sends and reads them.
        period = {"Start": "2024-05-01", "End": "2024-05-11"}
        tg = ce.get_tags(TimePeriod=period)
        if tg["Tags"] != ["Environment", "Team"] or tg["TotalSize"] != 2:
            fail("GetTags: %r" % tg)
        tv = ce.get_tags(TimePeriod=period, TagKey="Team")
        if not set(tv["Tags"]) <= {"", "platform", "data", "web"} or len(tv["Tags"]) < 2:
            fail("GetTags TagKey: %r" % tv)
        cc = ce.get_cost_categories(TimePeriod=period)
        if cc["CostCategoryNames"] != ["BusinessUnit"] or cc["ReturnSize"] != 1:
            fail("GetCostCategories: %r" % cc)
        cv = ce.get_cost_categories(TimePeriod=period, CostCategoryName="BusinessUnit")
        if not cv.get("CostCategoryValues") or not set(cv["CostCategoryValues"]) <= {"Platform", "Data", "Web"}:
            fail("GetCostCategories CostCategoryName: %r" % cv)
        fc = ce.get_cost_forecast(TimePeriod={"Start": "2024-05-10", "End": "2024-05-13"}, Metric="UNBLENDED_COST",
                                  Granularity="DAILY")
        if len(fc["ForecastResultsByTime"]) != 3:
            fail("GetCostForecast: %r" % fc)
        try:
            ce.get_cost_and_usage(TimePeriod={"Start": "2024-05-03", "End": "2024-05-02"}, Granularity="DAILY",
                                  Metrics=["UnblendedCost"])
            fail("End before Start was accepted")
        except ClientError as e:
            if e.response["Error"]["Code"] != "ValidationException":
                fail("wrong error: %r" % e.response["Error"])

        org = session.create_client("organizations", **kw)
        accounts = org.list_accounts(MaxResults=3)
        if len(accounts["Accounts"]) != 3 or "NextToken" not in accounts:
            fail("ListAccounts page 1: %r" % accounts)
        rest = org.list_accounts(MaxResults=3, NextToken=accounts["NextToken"])
        if len(rest["Accounts"]) != 1 or "NextToken" in rest:
            fail("ListAccounts page 2: %r" % rest)
        one = org.describe_account(AccountId=rest["Accounts"][0]["Id"])
        if one["Account"]["Id"] != rest["Accounts"][0]["Id"]:
            fail("DescribeAccount: %r" % one)

        sts = session.create_client("sts", **kw)
        ident = sts.get_caller_identity()
        if ident["Account"] != accounts["Accounts"][0]["Id"]:
            fail("GetCallerIdentity: %r" % ident)

        bad = session.create_client("ce", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id=KEY,
                                    aws_secret_access_key="wrong", config=Config(retries={"max_attempts": 1}))
        try:
            bad.get_cost_and_usage(TimePeriod={"Start": "2024-05-01", "End": "2024-05-02"}, Granularity="DAILY",
                                   Metrics=["UnblendedCost"])
            fail("a wrong secret was accepted")
        except ClientError as e:
            if e.response["ResponseMetadata"]["HTTPStatusCode"] != 403:
                fail("wrong status for a bad signature: %r" % e.response)

        with urllib.request.urlopen(endpoint + "/__sim/stats", timeout=10) as resp:
            stats = json.loads(resp.read())
        expected_billable = pages + 6  # + GetDimensionValues, 2 GetTags, 2 GetCostCategories, GetCostForecast
        if stats["billable"] != expected_billable or stats["auth_failures"] != 1:
            fail("stats: %r (expected %d billable)" % (stats, expected_billable))

        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        if proc.returncode != 0:
            fail("exit code %d, stderr %r" % (proc.returncode, err))
        if ("billable:       %d" % expected_billable) not in out:
            fail("final counters missing: %r" % out)
        if SECRET in err:
            fail("secret printed on stderr")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    print("ok: %d pages, %d groups" % (pages, groups))


def check_today_and_revision(exe):
    """--today moves the window's last day, --revision is announced with the first revised day."""
    bad = subprocess.run([exe, "--today", "2024-03-10", "--start-date", "2024-03-01"], capture_output=True, text=True,
                         timeout=30)
    if bad.returncode != 2 or "exclude each other" not in bad.stderr:
        fail("--today with --start-date: exit %d, stderr %r" % (bad.returncode, bad.stderr))
    proc = subprocess.Popen([exe, "--today", "2024-03-10", "--days", "10", "--revision", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline().strip() for _ in range(3)]
        if "2024-03-01 .. 2024-03-10 (10 days)" not in lines[1]:
            fail("--today 2024-03-10 --days 10: %r" % lines)
        if lines[2] != "revision 2 of the days from 2024-02-01":
            fail("--revision 2: %r" % lines)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
        if proc.returncode != 0:
            fail("exit code %d after SIGTERM" % proc.returncode)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
    check_today_and_revision(sys.argv[1])
