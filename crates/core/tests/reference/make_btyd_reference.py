#!/usr/bin/env python3
"""Expected buy-till-you-die summaries from the `lifetimes` package.

Input: btyd_orders.csv, order lines written by `segmenta sample --customers 150 --seed 21`.
Purchases are the lines Segmenta counts as purchases (see features/orders.rs): exact
duplicate rows removed, then not a cancellation (order id starting with C), positive
quantity and price. The analysis date is
the day after the last date in the file. Output: btyd_expected_days.csv and
btyd_expected_weeks.csv with frequency, recency, T and monetary_value per customer, rounded
half-up to 2 decimals.

Reproduce (from this folder):
    python3 -m venv /tmp/ltv && /tmp/ltv/bin/pip install lifetimes==0.11.3 pandas
    /tmp/ltv/bin/python make_btyd_reference.py
"""
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from lifetimes.utils import summary_data_from_transaction_data


def half_up(v):
    return str(Decimal(repr(float(v))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def main():
    lines = pd.read_csv("btyd_orders.csv", dtype={"order_id": str, "customer_id": str}).drop_duplicates()
    lines["order_date"] = pd.to_datetime(lines["order_date"], format="%Y-%m-%d %H:%M:%S")
    purchases = lines[~lines.order_id.str.startswith("C") & (lines.quantity > 0) & (lines.unit_price > 0)].copy()
    purchases["amount"] = purchases.quantity * purchases.unit_price
    end = lines.order_date.max().normalize() + pd.Timedelta(days=1)
    for name, multiplier in (("days", 1), ("weeks", 7)):
        s = summary_data_from_transaction_data(
            purchases, "customer_id", "order_date", monetary_value_col="amount",
            observation_period_end=end, freq="D", freq_multiplier=multiplier,
        )
        s = s.sort_index()
        with open(f"btyd_expected_{name}.csv", "w") as f:
            f.write("customer_id,frequency,recency,T,monetary_value\n")
            for cid, row in s.iterrows():
                f.write(f"{cid},{half_up(row.frequency)},{half_up(row.recency)},{half_up(row['T'])},{half_up(row.monetary_value)}\n")


if __name__ == "__main__":
    main()
