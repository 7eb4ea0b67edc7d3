#!/usr/bin/env python3
"""Reference PCA results from scikit-learn for segmenta-core's projection tests.

Uses iris.csv and wine.csv (written by make_reference.py), standardized with
StandardScaler, and writes projection_reference.json with, per dataset, PCA(n_components=3,
svd_solver="covariance_eigh")'s components, explained variance and ratio, and the
projection of every row.

Reproduce (from this folder):
    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install scikit-learn==1.9.1 numpy
    /tmp/refvenv/bin/python make_projection_reference.py
"""
import json

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler


def main():
    out = {"sklearn_version": sklearn.__version__, "datasets": {}}
    for name in ["iris", "wine"]:
        Z = StandardScaler().fit_transform(np.loadtxt(f"{name}.csv", delimiter=",", skiprows=1))
        pca = PCA(n_components=3, svd_solver="covariance_eigh").fit(Z)
        out["datasets"][name] = {
            "components": pca.components_.tolist(),
            "explained_variance": pca.explained_variance_.tolist(),
            "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
            "projection": pca.transform(Z).tolist(),
        }
    with open("projection_reference.json", "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
