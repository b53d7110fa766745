"""The PyTorch column of `deno task bench` (run by `bench/torch.ts` as a child process).

Times the same workloads as gradbook's bench sections with PyTorch on the CPU, float32, and
prints one JSON object: the PyTorch version, its BLAS, the thread count and the median ms of
each workload. The caller sets OMP_NUM_THREADS; this script also calls torch.set_num_threads.

Usage: /usr/bin/python3 bench/torch_bench.py --threads N [--warmup W] [--warmup-ms MS] [--samples S]
       [--min-sample-ms MS] [--quick]
"""

import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F


def measure(step, warmup, warmup_ms, samples, min_sample_ms):
    """Median ms per call: untimed calls until there were `warmup` and `warmup_ms` passed, then
    `samples` timed batches of calls, each repeated until it lasts at least `min_sample_ms` (as
    bench/stats.ts's measure does)."""
    warm_until = time.perf_counter() + warmup_ms / 1000
    calls = 0
    while calls < max(1, warmup) or time.perf_counter() < warm_until:
        step()
        calls += 1
    times = []
    for _ in range(samples):
        repeats = 0
        start = time.perf_counter()
        while True:
            step()
            repeats += 1
            elapsed = (time.perf_counter() - start) * 1000
            if elapsed >= min_sample_ms:
                break
        times.append(elapsed / repeats)
    return statistics.median(times)


def matmul(size):
    a = torch.randn(size, size)
    b = torch.randn(size, size)
    return lambda: torch.mm(a, b)


def mlp_step(width=256, batch=64, inputs=784, classes=10):
    x = torch.randn(batch, inputs)
    y = torch.randint(0, classes, (batch,))
    model = torch.nn.Sequential(
        torch.nn.Linear(inputs, width), torch.nn.ReLU(), torch.nn.Linear(width, classes)
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        loss.item()

    return step


def conv_forward():
    x = torch.randn(32, 1, 28, 28)
    w = torch.randn(8, 1, 5, 5)
    b = torch.randn(8)
    return lambda: F.conv2d(x, w, b)


def conv_step():
    x = torch.randn(32, 1, 28, 28, requires_grad=True)
    w = torch.randn(8, 1, 5, 5, requires_grad=True)
    b = torch.randn(8, requires_grad=True)

    def step():
        x.grad = w.grad = b.grad = None
        F.conv2d(x, w, b).sum().backward()

    return step


def lstm_step(batch=16, steps=32, inputs=32, hidden=128):
    lstm = torch.nn.LSTM(inputs, hidden)
    x = torch.randn(steps, batch, inputs)

    def step():
        lstm.zero_grad()
        output, _ = lstm(x)
        loss = output.sum()
        loss.backward()
        loss.item()

    return step


def char_lstm_step(vocab=60, embedding=32, hidden=128, batch=32, steps=64):
    embed = torch.nn.Embedding(vocab, embedding)
    lstm = torch.nn.LSTM(embedding, hidden, batch_first=True)
    head = torch.nn.Linear(hidden, vocab)
    parameters = [*embed.parameters(), *lstm.parameters(), *head.parameters()]
    optimizer = torch.optim.Adam(parameters, lr=2e-3)
    text = torch.randint(0, vocab, (batch, steps + 1))
    inputs, targets = text[:, :-1], text[:, 1:].reshape(-1)

    def step():
        optimizer.zero_grad()
        output, _ = lstm(embed(inputs))
        loss = F.cross_entropy(head(output.reshape(batch * steps, hidden)), targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        loss.item()

    return step


def blas():
    """The BLAS library this process has loaded (Debian's torch links the system libblas,
    which the alternatives system points at OpenBLAS when it is installed)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    try:
        with open("/proc/self/maps") as maps:
            loaded = maps.read().lower()
    except OSError:
        loaded = ""
    for marker, name in (("openblas", "OpenBLAS"), ("libmkl", "MKL"), ("blis", "BLIS")):
        if marker in loaded:
            return name
    return "generic BLAS" if "libblas" in loaded else "unknown BLAS"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--warmup-ms", type=float, default=0)
    parser.add_argument("--samples", type=int, default=7)
    parser.add_argument("--min-sample-ms", type=float, default=20)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    workloads = {
        "matmul 128": lambda: matmul(128),
        "matmul 256": lambda: matmul(256),
        "matmul 512": lambda: matmul(512),
        "mlp 256": lambda: mlp_step(256),
        "conv forward": conv_forward,
        "conv step": conv_step,
        "lstm": lstm_step,
        "char lstm": char_lstm_step,
    }
    if args.quick:
        workloads = {k: v for k, v in workloads.items() if k in ("matmul 128", "mlp 256")}
    ms = {}
    for name, make in workloads.items():
        ms[name] = measure(make(), args.warmup, args.warmup_ms, args.samples, args.min_sample_ms)
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "blas": blas(),
                "threads": torch.get_num_threads(),
                "ms": ms,
            }
        )
    )


if __name__ == "__main__":
    main()
