#!/usr/bin/env python3
"""Reference results from scikit-learn and scipy for segmenta-core's clustering tests.

Uses the CSVs written by make_reference.py (iris, wine, blobs), standardized with
StandardScaler, and writes cluster_reference.json with, per dataset:

- gmm: for each k and covariance type, the labels of scikit-learn's k-means start
  (KMeans(n_init=1, random_state=RandomState(0)), exactly what GaussianMixture(random_state=0)
  uses internally) and GaussianMixture's average log-likelihood (score), BIC, AIC, and whether
  it converged;
- linkage: scipy.cluster.hierarchy.linkage for ward, complete, average and single
  (the merge heights, and the size of each merged cluster);
- dbscan: DBSCAN(eps, min_samples) core sample indices and labels.

Reproduce (from this folder):
    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install scikit-learn==1.9.1 scipy numpy
    /tmp/refvenv/bin/python make_cluster_reference.py
"""
import json

import numpy as np
import scipy
import sklearn
from scipy.cluster.hierarchy import linkage
from sklearn.cluster import DBSCAN, KMeans
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

DATASETS = {
    # name: (gmm ks, dbscan (eps, min_samples) pairs)
    "iris": ([3, 4], [(0.5, 5), (0.8, 4)]),
    "wine": ([3], [(2.0, 5), (2.4, 8)]),
    "blobs": ([5, 3], [(0.3, 5), (0.5, 10)]),
}


def load(name):
    return np.loadtxt(f"{name}.csv", delimiter=",", skiprows=1)


def main():
    out = {"sklearn_version": sklearn.__version__, "scipy_version": scipy.__version__, "datasets": {}}
    for name, (ks, dbscans) in DATASETS.items():
        Z = StandardScaler().fit_transform(load(name))
        entry = {"gmm": [], "linkage": {}, "dbscan": []}
        for k in ks:
            init = KMeans(n_clusters=k, n_init=1, random_state=np.random.RandomState(0)).fit(Z).labels_
            for cov in ["full", "diag", "spherical"]:
                gm = GaussianMixture(n_components=k, covariance_type=cov, random_state=0).fit(Z)
                entry["gmm"].append({
                    "k": k,
                    "covariance": cov,
                    "init_labels": init.tolist(),
                    "score": float(gm.score(Z)),
                    "bic": float(gm.bic(Z)),
                    "aic": float(gm.aic(Z)),
                    "converged": bool(gm.converged_),
                    "n_iter": int(gm.n_iter_),
                })
        for method in ["ward", "complete", "average", "single"]:
            L = linkage(Z, method=method)
            entry["linkage"][method] = {"heights": L[:, 2].tolist(), "sizes": L[:, 3].astype(int).tolist()}
        for eps, min_samples in dbscans:
            db = DBSCAN(eps=eps, min_samples=min_samples).fit(Z)
            entry["dbscan"].append({
                "eps": eps,
                "min_samples": min_samples,
                "core": db.core_sample_indices_.tolist(),
                "labels": db.labels_.tolist(),
            })
        out["datasets"][name] = entry
    with open("cluster_reference.json", "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
