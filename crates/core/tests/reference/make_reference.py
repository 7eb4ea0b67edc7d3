#!/usr/bin/env python3
"""Reference values from scikit-learn for segmenta-core's tests.

Writes the datasets as CSV (iris and wine ship inside scikit-learn's wheel; blobs are
generated) and reference.json with, per dataset: scikit-learn's StandardScaler output for
the first rows, KMeans(n_clusters=k, n_init=10, random_state=0) inertia and labels, and
silhouette / Calinski-Harabasz / Davies-Bouldin on those labels (standardized data).

Reproduce (from this folder):
    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install scikit-learn==1.9.1 numpy
    /tmp/refvenv/bin/python make_reference.py
"""
import json

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, load_wine, make_blobs
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
from sklearn.preprocessing import StandardScaler


def write_csv(path, names, X):
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        for row in X:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def main():
    iris = load_iris()
    wine = load_wine()
    blobs, _ = make_blobs(n_samples=600, n_features=4, centers=5, cluster_std=1.6, random_state=3)
    datasets = {
        "iris": ([n.replace(" (cm)", "").replace(" ", "_") for n in iris.feature_names], iris.data, [3, 4]),
        "wine": (list(wine.feature_names), wine.data, [3, 5]),
        "blobs": ([f"f{i}" for i in range(4)], blobs, [5, 3]),
    }
    out = {"sklearn_version": sklearn.__version__, "datasets": {}}
    for name, (cols, X, ks) in datasets.items():
        write_csv(f"{name}.csv", cols, X)
        Z = StandardScaler().fit_transform(X)
        entry = {"rows": len(X), "features": cols, "scaled_head": Z[:3].tolist(), "runs": []}
        for k in ks:
            km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(Z)
            labels = km.labels_
            entry["runs"].append({
                "k": k,
                "inertia": float(km.inertia_),
                "labels": labels.tolist(),
                "silhouette": float(silhouette_score(Z, labels)),
                "calinski_harabasz": float(calinski_harabasz_score(Z, labels)),
                "davies_bouldin": float(davies_bouldin_score(Z, labels)),
            })
        out["datasets"][name] = entry
    with open("reference.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
