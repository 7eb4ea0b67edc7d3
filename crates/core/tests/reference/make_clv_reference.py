#!/usr/bin/env python3
"""Expected BG/NBD and Gamma-Gamma fits and predictions from the `lifetimes` package.

Input: the order log written by `segmenta sample --customers 1000 --seed 5` (not committed;
the script regenerates it with the CLI), summarized with `lifetimes`' own
summary_data_from_transaction_data under the purchase rules of make_btyd_reference.py.
Output, committed:
  clv_summary.csv   customer_id, frequency, recency, T (days), monetary_value, full precision
  clv_reference.json  fitted parameters (no penalizer) and the mean negative log-likelihood
  clv_expected.csv  per customer: p_alive, expected purchases in 90 days, expected average
                    order value and 12-month CLV at a monthly discount rate of 0.01

lifetimes takes the logarithm of the hypergeometric term of equation 10 (Fader, Hardie &
Lee 2005), which is NaN where that term is negative (one-time buyers when a + b < 1, as
here). For those customers the script evaluates the same equation without the logarithm;
everywhere else it checks that this equals lifetimes' own result to 1e-12.

Reproduce (from this folder, after `cargo build --release -p segmenta-cli`):
    python3 -m venv /tmp/ltv && /tmp/ltv/bin/pip install lifetimes==0.11.3 pandas
    /tmp/ltv/bin/python make_clv_reference.py
"""
import json
import os
import subprocess
import tempfile

import numpy as np
import pandas as pd
from scipy.special import hyp2f1
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data

HERE = os.path.dirname(os.path.abspath(__file__))
CLI = os.path.join(HERE, "..", "..", "..", "..", "target", "release", "segmenta")


def orders():
    out = tempfile.mkdtemp()
    subprocess.run([CLI, "sample", "--customers", "1000", "--seed", "5", "--out-dir", out], check=True)
    lines = pd.read_csv(os.path.join(out, "sample_orders.csv"), dtype={"order_id": str, "customer_id": str})
    return lines.drop_duplicates()


def main():
    lines = orders()
    lines["order_date"] = pd.to_datetime(lines["order_date"], format="%Y-%m-%d %H:%M:%S")
    purchases = lines[~lines.order_id.str.startswith("C") & (lines.quantity > 0) & (lines.unit_price > 0)].copy()
    purchases["amount"] = purchases.quantity * purchases.unit_price
    end = lines.order_date.max().normalize() + pd.Timedelta(days=1)
    s = summary_data_from_transaction_data(
        purchases, "customer_id", "order_date", monetary_value_col="amount",
        observation_period_end=end, freq="D",
    ).sort_index()
    s.to_csv(os.path.join(HERE, "clv_summary.csv"), float_format="%.17g")

    bg = BetaGeoFitter(penalizer_coef=0.0)
    bg.fit(s.frequency, s.recency, s["T"], tol=1e-10)
    repeat = s[(s.frequency > 0) & (s.monetary_value > 0)]
    gg = GammaGammaFitter(penalizer_coef=0.0)
    gg.fit(repeat.frequency, repeat.monetary_value, tol=1e-10)

    reference = {
        "source": "lifetimes 0.11.3, BetaGeoFitter and GammaGammaFitter, penalizer_coef=0, tol=1e-10",
        "customers": len(s),
        "repeat_customers": len(repeat),
        "bgnbd": {k: float(v) for k, v in bg.params_.items()},
        "bgnbd_mean_negative_log_likelihood": float(bg._negative_log_likelihood_),
        "gamma_gamma": {k: float(v) for k, v in gg.params_.items()},
        "gamma_gamma_mean_negative_log_likelihood": float(gg._negative_log_likelihood_),
        "horizon_days": 90,
        "clv_months": 12,
        "monthly_discount_rate": 0.01,
    }
    with open(os.path.join(HERE, "clv_reference.json"), "w") as f:
        json.dump(reference, f, indent=2)
        f.write("\n")

    lifetimes_purchases = bg.conditional_expected_number_of_purchases_up_to_time
    lifetimes_clv = gg.customer_lifetime_value(bg, s.frequency, s.recency, s["T"], s.monetary_value,
                                               time=12, discount_rate=0.01, freq="D")

    def equation_10(t, x, t_x, T):
        r, alpha, a, b = bg._unload_params("r", "alpha", "a", "b")
        hyp = hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
        numerator = (a + b + x - 1) / (a - 1) * (1 - hyp * ((alpha + T) / (alpha + t + T)) ** (r + x))
        denominator = 1 + (x > 0) * (a / (b + x - 1)) * ((alpha + T) / (alpha + t_x)) ** (r + x)
        value = numerator / denominator
        theirs = lifetimes_purchases(t, x, t_x, T)
        finite = np.isfinite(theirs)
        assert np.allclose(value[finite], theirs[finite], rtol=1e-12, atol=0)
        return value

    bg.predict = equation_10
    out = pd.DataFrame(index=s.index)
    out["p_alive"] = bg.conditional_probability_alive(s.frequency, s.recency, s["T"])
    out["expected_purchases"] = equation_10(90, s.frequency, s.recency, s["T"])
    out["expected_order_value"] = gg.conditional_expected_average_profit(s.frequency, s.monetary_value)
    out["clv"] = gg.customer_lifetime_value(bg, s.frequency, s.recency, s["T"], s.monetary_value,
                                            time=12, discount_rate=0.01, freq="D")
    finite = np.isfinite(lifetimes_clv)
    assert np.allclose(out.clv[finite], lifetimes_clv[finite], rtol=1e-12, atol=0)
    print(f"{(~finite).sum()} customers where lifetimes' equation 10 is NaN")
    out.to_csv(os.path.join(HERE, "clv_expected.csv"), float_format="%.17g")
    print(json.dumps(reference, indent=2))


if __name__ == "__main__":
    main()
