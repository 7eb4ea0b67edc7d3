#!/usr/bin/env python3
"""Reference values from scikit-learn for segmenta-core's UMAP tests.

Writes digits.csv (scikit-learn's `load_digits`: 1,797 images of 8×8 pixels with values
0–16, and the digit shown, for colouring) and umap_reference.json with scikit-learn's
`trustworthiness` (10 neighbours) of a fixed embedding of it — its first two principal
components, included, of the digits with tiny offsets that break ties — so the Rust implementation of trustworthiness can be checked
against it, and for comparison the trustworthiness scikit-learn's own t-SNE reaches on
the same data.

Reproduce (from this folder):
    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install scikit-learn==1.9.1 numpy
    /tmp/refvenv/bin/python make_umap_reference.py
"""
import json

import numpy as np
import sklearn
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness


def main():
    digits = load_digits()
    X = digits.data
    header = ",".join([f"p{i}" for i in range(X.shape[1])] + ["digit"])
    rows = [",".join(str(int(v)) for v in x) + f",{t}" for x, t in zip(X, digits.target)]
    with open("digits.csv", "w") as f:
        f.write(header + "\n" + "\n".join(rows) + "\n")

    # The pixels are small integers, so many distances tie, and scikit-learn breaks ties
    # in an unspecified order (numpy's default argsort). For an exact comparison the
    # reference data carries a tiny pseudo-random offset per cell, below a millionth:
    # 1e-6 × (h mod 1000003) / 1000003 with h = (64·row + column) · 2654435761, in integers,
    # which the Rust test adds the same way.
    n, d = X.shape
    cell = np.arange(n, dtype=np.int64)[:, None] * d + np.arange(d, dtype=np.int64)[None, :]
    offset = 1e-6 * ((cell * 2654435761) % 1000003) / 1000003
    Xt = X + offset
    pca = PCA(n_components=2, svd_solver="covariance_eigh").fit_transform(Xt).round(10)
    tsne = TSNE(n_components=2, random_state=0).fit_transform(X)
    out = {
        "sklearn_version": sklearn.__version__,
        "n_neighbors": 10,
        "pca_embedding": pca.tolist(),
        "pca_trustworthiness": trustworthiness(Xt, pca, n_neighbors=10),
        "tsne_trustworthiness": trustworthiness(X, tsne, n_neighbors=10),
    }
    with open("umap_reference.json", "w") as f:
        json.dump(out, f)
    print({k: v for k, v in out.items() if "trust" in k})


if __name__ == "__main__":
    main()
