#!/usr/bin/python3
"""The byte-level CNN of the L2 model comparison (src/train/cnn.ts runs it).

Reads the windows written by src/train/bytes-dump.ts and either
  loso DIR SCORES   trains one model per held-out source file and writes, for
                    every row, its out-of-source score (float32: the max over
                    its windows), or
  final DIR OUT     trains on every row and exports ONNX:
                    bytes int32 [B, W] (byte + 1, 0 = padding) ->
                    threat float [B, 1], family float [B, F].
Model: byte embedding (257 x 24) -> Conv1d 5 (64) -> ReLU -> dilated Conv1d 5
(64) -> ReLU -> max over positions -> threat (sigmoid) and family (softmax)
heads. Settings by environment: RAXE_CNN_EPOCHS (3), RAXE_CNN_CHANNELS (64),
RAXE_CNN_BENIGN_PER_ROW (6), RAXE_TORCH_THREADS (2). Sample weights as the n-gram models' (src/train/logistic.ts): classes
balanced, each source's weight ~ its size^0.5. Deterministic for a seed on
one thread. Needs Debian's python3-torch (1.13) and python3-onnx.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(int(os.environ.get('RAXE_TORCH_THREADS', '2')))
EPOCHS = int(os.environ.get('RAXE_CNN_EPOCHS', '3'))
MAX_BENIGN_PER_ROW = int(os.environ.get('RAXE_CNN_BENIGN_PER_ROW', '6'))  # benign windows per row used for training (documents are repetitive)


class Cnn(nn.Module):
    def __init__(self, families, ch=int(os.environ.get('RAXE_CNN_CHANNELS', '64')), emb=24):
        super().__init__()
        self.emb = nn.Embedding(257, emb, padding_idx=0)
        self.c1 = nn.Conv1d(emb, ch, 5, padding=2)
        self.c2 = nn.Conv1d(ch, ch, 5, padding=4, dilation=2)
        self.drop = nn.Dropout(0.2)
        self.threat = nn.Linear(ch, 1)
        self.family = nn.Linear(ch, families)

    def forward(self, ids):
        x = self.emb(ids.long()).transpose(1, 2)
        x = torch.relu(self.c1(x))
        x = torch.relu(self.c2(x))
        h = self.drop(torch.amax(x, dim=2))
        return torch.sigmoid(self.threat(h)), torch.softmax(self.family(h), dim=-1)


def load(d):
    meta = json.load(open(os.path.join(d, 'meta.json')))
    W = meta['window_bytes']
    win = np.fromfile(os.path.join(d, 'windows.u8'), dtype=np.uint8).reshape(-1, W)
    lengths = np.fromfile(os.path.join(d, 'lengths.u16'), dtype=np.uint16)
    ids = win.astype(np.int32) + 1
    ids[np.arange(W)[None, :] >= lengths[:, None]] = 0
    win_row = np.fromfile(os.path.join(d, 'win_row.i32'), dtype=np.int32)
    row_file = np.fromfile(os.path.join(d, 'row_file.i32'), dtype=np.int32)
    s = np.fromfile(os.path.join(d, 'samples.i32'), dtype=np.int32).reshape(-1, 3)
    return meta, torch.from_numpy(ids), win_row, row_file, s


def thin(samples, win_row, rng):
    """At most MAX_BENIGN_PER_ROW benign samples per row (all threats kept)."""
    keep = np.ones(len(samples), dtype=bool)
    benign = np.where(samples[:, 1] == 0)[0]
    rows = win_row[samples[benign, 0]]
    order = rng.permutation(len(benign))
    seen = {}
    for i in order:
        r = rows[i]
        seen[r] = seen.get(r, 0) + 1
        if seen[r] > MAX_BENIGN_PER_ROW:
            keep[benign[i]] = False
    return samples[keep]


def weights(samples, win_row, row_file):
    f = row_file[win_row[samples[:, 0]]] * 2 + samples[:, 1]
    _, inv, counts = np.unique(f, return_inverse=True, return_counts=True)
    w = 1.0 / np.sqrt(counts[inv])
    y = samples[:, 1]
    n = len(samples)
    w[y == 1] *= n / (2 * w[y == 1].sum())
    w[y == 0] *= 2 * n / (2 * w[y == 0].sum())  # benign weight 2, as the n-gram models
    return torch.from_numpy(w.astype(np.float32))


def train(ids, samples, w, families, seed):
    torch.manual_seed(seed)
    model = Cnn(families)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    n = len(samples)
    win = torch.from_numpy(samples[:, 0].astype(np.int64))
    y = torch.from_numpy(samples[:, 1].astype(np.float32))
    fam = torch.from_numpy(samples[:, 2].astype(np.int64))
    g = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(EPOCHS):
        perm = torch.randperm(n, generator=g)
        for i in range(0, n, 256):
            b = perm[i:i + 256]
            p, pf = model(ids[win[b]])
            p = p.squeeze(1).clamp(1e-6, 1 - 1e-6)
            loss = (w[b] * nn.functional.binary_cross_entropy(p, y[b], reduction='none')).mean()
            t = fam[b] >= 0
            if t.any():
                loss = loss + 0.3 * (w[b][t] * nn.functional.nll_loss(torch.log(pf[t] + 1e-9), fam[b][t], reduction='none')).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    return model


def score_rows(model, ids, win_row, rows):
    out = {}
    sel = np.where(np.isin(win_row, rows))[0]
    with torch.no_grad():
        for i in range(0, len(sel), 512):
            b = sel[i:i + 512]
            p, _ = model(ids[torch.from_numpy(b.astype(np.int64))])
            for wi, s in zip(b, p.squeeze(1).numpy()):
                r = win_row[wi]
                out[r] = max(out.get(r, 0.0), float(s))
    return out


def main():
    mode, d, out = sys.argv[1], sys.argv[2], sys.argv[3]
    meta, ids, win_row, row_file, samples = load(d)
    rng = np.random.default_rng(7)
    samples = thin(samples, win_row, rng)
    F = len(meta['families'])
    if mode == 'loso':
        scores = np.zeros(meta['rows'], dtype=np.float32)
        for fi, name in enumerate(meta['files']):
            held = row_file[win_row[samples[:, 0]]] == fi
            tr = samples[~held]
            model = train(ids, tr, weights(tr, win_row, row_file), F, 7)
            rows = np.where(row_file == fi)[0]
            for r, s in score_rows(model, ids, win_row, rows).items():
                scores[r] = s
            print(f'  fold {name}: trained on {len(tr)} windows', file=sys.stderr, flush=True)
        scores.tofile(out)
    elif mode == 'final':
        model = train(ids, samples, weights(samples, win_row, row_file), F, 7)
        dummy = torch.zeros((2, meta['window_bytes']), dtype=torch.int32)
        torch.onnx.export(model, (dummy,), out, input_names=['bytes'], output_names=['threat', 'family'],
                          dynamic_axes={'bytes': {0: 'B'}, 'threat': {0: 'B'}, 'family': {0: 'B'}}, opset_version=13)
    else:
        raise SystemExit(f'unknown mode {mode}')


if __name__ == '__main__':
    main()
