"""Training the page FCN on generated pages (``eulereye train``).

Data: pages from ``eulereye.synth.generate_page`` (seeded, so a dataset is a range of seeds),
scaled once to the network's input size and cached as ``.npz`` under ``<out>/data`` so a resumed
or repeated run does not generate them again. Training samples are random crops with a random
rescale (so column widths and type sizes vary beyond what the generator draws) and random
contrast/ink-level jitter.

Validation on held-out seeds reports the per-class IoU of the masks and the region F1 at IoU 0.5
of ``masks_to_regions`` against the generator's sections. ``<out>/last.pt`` holds model,
optimiser and step after every validation, so ``--resume`` continues where a run stopped;
``<out>/best.pt`` keeps the weights with the best validation F1 (ties: better mean IoU); ``<out>/log.jsonl`` one line
per validation.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np

from eulereye.errors import UsageError
from eulereye.evaluation.scores import detection_scores
from eulereye.logs import get_logger
from eulereye.model import BBox
from eulereye.segment.fcn import (
    CLASS_KINDS, CLASSES, FcnConfig, build_model, make_target, masks_to_regions,
    page_to_input, require_torch, save_checkpoint,
)
from eulereye.synth.page import generate_page, style_named
from eulereye.training.settings import TrainSettings

# Rules are thin and rare, headlines rarer than body text: weigh them up so they are learnt.
CLASS_WEIGHTS = (1.0, 1.0, 2.0, 4.0, 1.5)
VAL_SEED_OFFSET = 1_000_000  # validation seeds never overlap training seeds
# Random rescale of training crops. Scanned broadsheets hold more, smaller type than a
# generated page, so at the network's input size their text is up to half as large.
CROP_SCALE = (0.45, 1.4)


@dataclass
class Sample:
    """A cached page: network-scale image (uint8, ink dark), target classes, GT boxes at that scale."""

    image: np.ndarray
    target: np.ndarray
    boxes: list[tuple[BBox, str]]


def synth_page(seed: int, settings: TrainSettings):
    """Gray image, per-pixel labels and (bbox, kind) of the sections of generated page ``seed``."""
    page = generate_page(seed, width=settings.page_width, height=settings.page_height, style=settings.style)
    return page.image, page.labels, [(tuple(s.bbox), s.kind) for s in page.sections]


def load_samples(seeds: range, settings: TrainSettings, config: FcnConfig) -> list[Sample]:
    """The pages of ``seeds``; a seed the generator fails on is logged and left out (the run
    records how many pages it really used)."""
    cache = Path(settings.out) / "data"
    cache.mkdir(parents=True, exist_ok=True)
    samples = []
    for seed in seeds:
        try:
            samples.append(_cached_sample(seed, cache, settings, config))
        except Exception as exc:  # a generator bug must not cost the whole run
            get_logger().warning("page generation failed", seed=seed, error=repr(exc))
    if not samples:
        raise RuntimeError(f"no page could be generated for seeds {seeds.start}..{seeds.stop - 1}")
    return samples


def _cached_sample(seed: int, cache: Path, settings: TrainSettings, config: FcnConfig) -> Sample:
    path = cache / f"{settings.style}-{settings.page_width}x{settings.page_height}-{config.input_long_side}-{seed}.npz"
    if path.exists():
        data = np.load(path, allow_pickle=False)
        kinds = [str(k) for k in data["kinds"]]
        return Sample(data["image"], data["target"], list(zip(map(tuple, data["boxes"].tolist()), kinds)))
    gray, labels, sections = synth_page(seed, settings)
    x = page_to_input(gray, config.input_long_side)
    image = np.round((1.0 - x) * 255).astype(np.uint8)
    target = make_target(sections, labels, config.input_long_side)
    factor = config.input_long_side / max(gray.shape)
    boxes = [(tuple(int(round(v * factor)) for v in box), kind) for box, kind in sections]
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, image=image, target=target,
                        boxes=np.array([b for b, _ in boxes], np.int64).reshape(-1, 4),
                        kinds=np.array([k for _, k in boxes], dtype=str))
    tmp.replace(path)
    return Sample(image, target, boxes)


def random_batch(samples: list[Sample], settings: TrainSettings, rng: np.random.Generator):
    """Crops (N x 1 x crop x crop, ink 1) and targets (N x crop/2 x crop/2)."""
    crop = settings.crop
    xs = np.zeros((settings.batch, 1, crop, crop), np.float32)
    ys = np.zeros((settings.batch, crop // 2, crop // 2), np.int64)
    for n in range(settings.batch):
        sample = samples[rng.integers(len(samples))]
        scale = float(np.exp(rng.uniform(*np.log(CROP_SCALE))))
        th, tw = round(sample.image.shape[0] * scale) // 2, round(sample.image.shape[1] * scale) // 2
        ty = int(rng.integers(max(1, th - crop // 2 + 1)))
        tx = int(rng.integers(max(1, tw - crop // 2 + 1)))
        patch = scaled_window(sample.image, scale, (2 * ty, 2 * tx), crop, cv2.INTER_AREA)
        ink = 1.0 - patch.astype(np.float32) / 255.0
        ink = np.clip(ink * rng.uniform(0.7, 1.1) + rng.normal(0, 0.03, ink.shape), 0, 1)
        xs[n, 0, :patch.shape[0], :patch.shape[1]] = ink
        t = scaled_window(sample.target, scale, (ty, tx), crop // 2, cv2.INTER_NEAREST)
        ys[n, :t.shape[0], :t.shape[1]] = t
    return xs, ys


def scaled_window(image: np.ndarray, scale: float, corner: tuple[int, int], size: int,
                  interpolation: int) -> np.ndarray:
    """``image`` scaled by ``scale``, cut to the ``size`` x ``size`` window at ``corner`` (top,
    left; smaller at the scaled image's edge), to within a sub-pixel shift. Only the part of
    ``image`` under the window is scaled: a batch of 8 crops from 2048 px pages takes 27 ms
    instead of 100 ms (the step itself, forward and backward, about 650 ms on 2 cores)."""
    top, left = corner
    height, width = round(image.shape[0] * scale), round(image.shape[1] * scale)
    bottom, right = min(height, top + size), min(width, left + size)
    y0, x0 = int(top / scale), int(left / scale)
    y1 = min(image.shape[0], int(np.ceil(bottom / scale)) + 1)
    x1 = min(image.shape[1], int(np.ceil(right / scale)) + 1)
    part = cv2.resize(image[y0:y1, x0:x1], None, fx=scale, fy=scale, interpolation=interpolation)
    dy, dx = top - round(y0 * scale), left - round(x0 * scale)
    return part[dy:dy + bottom - top, dx:dx + right - left]


def validate(model, samples: list[Sample], config: FcnConfig) -> dict[str, float]:
    """Per-class mask IoU, pixel accuracy and region F1@0.5 on whole validation pages."""
    import torch

    model.eval()
    inter = np.zeros(len(CLASSES))
    union = np.zeros(len(CLASSES))
    correct = total = 0
    f1s = []
    with torch.inference_mode():
        for sample in samples:
            x = 1.0 - sample.image.astype(np.float32) / 255.0
            pred = model(torch.from_numpy(x)[None, None])[0].argmax(0).numpy()
            for c in range(len(CLASSES)):
                inter[c] += np.sum((pred == c) & (sample.target == c))
                union[c] += np.sum((pred == c) | (sample.target == c))
            correct += int(np.sum(pred == sample.target))
            total += pred.size
            regions = masks_to_regions(pred.astype(np.uint8), sample.image.shape, max(sample.image.shape))
            gt = [box for box, kind in sample.boxes if kind in CLASS_KINDS.values()]
            f1s.append(detection_scores([r.bbox for r in regions], gt).f1)
    model.train()
    # Classes absent from both prediction and truth have no IoU and stay out of the mean.
    metrics = {f"iou_{name}": float(inter[c] / union[c]) for c, name in enumerate(CLASSES) if union[c]}
    metrics["miou"] = float(np.mean(list(metrics.values())))
    metrics["pixel_acc"] = correct / total
    metrics["region_f1"] = float(np.mean(f1s))
    return metrics


def learning_rate(step: int, settings: TrainSettings) -> float:
    """Short linear warm-up, then cosine decay to 2% at ``settings.steps`` (a function of the
    step alone, so a resumed or extended run follows the same curve)."""
    warmup = max(1, settings.steps // 50)
    if step < warmup:
        return settings.lr * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, settings.steps - warmup))
    return settings.lr * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * progress)))


def train(settings: TrainSettings, *, resume: bool = False) -> dict[str, float]:
    """Run (or continue) a training run; returns the best validation metrics."""
    torch = require_torch("eulereye train")
    try:
        style_named(settings.style)
    except ValueError as exc:
        raise UsageError(f"--{exc}") from None
    config = FcnConfig(input_long_side=settings.input_long_side)

    log = get_logger(run=settings.out)
    torch.set_num_threads(settings.threads)
    torch.manual_seed(settings.seed)
    out = Path(settings.out)
    started = time.monotonic()
    train_set = load_samples(range(settings.seed * 100_000, settings.seed * 100_000 + settings.train_pages),
                             settings, config)
    val_set = load_samples(range(VAL_SEED_OFFSET, VAL_SEED_OFFSET + settings.val_pages),
                           settings, config)
    data_size = {"train_pages": len(train_set), "val_pages": len(val_set)}
    log.info("data ready", **data_size,
             seconds=round(time.monotonic() - started, 1))

    model = build_model(config)
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.lr, weight_decay=1e-4)
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(CLASS_WEIGHTS))
    step, best = 0, {"region_f1": -1.0}
    rng = np.random.default_rng(settings.seed)
    if resume and (out / "last.pt").exists():
        state = torch.load(out / "last.pt", map_location="cpu", weights_only=True)
        model.load_state_dict(state["state_dict"])
        optimiser.load_state_dict(state["optimiser"])
        step, best = state["step"], state["best"]
        rng.bit_generator.state = state["rng"]
        log.info("resumed", step=step)

    model.train()
    running = []
    while step < settings.steps:
        for group in optimiser.param_groups:
            group["lr"] = learning_rate(step, settings)
        xs, ys = random_batch(train_set, settings, rng)
        loss = loss_fn(model(torch.from_numpy(xs)), torch.from_numpy(ys))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        step += 1
        running.append(loss.item())
        if step % settings.eval_every == 0 or step == settings.steps:
            metrics = validate(model, val_set, config)
            record = {"step": step, "loss": float(np.mean(running)), **metrics,
                      "seconds": round(time.monotonic() - started, 1)}
            running = []
            log.info("validated", **{k: round(v, 4) if isinstance(v, float) else v for k, v in record.items()})
            with open(out / "log.jsonl", "a") as fh:
                fh.write(json.dumps(record) + "\n")
            if (metrics["region_f1"], metrics["miou"]) > (best["region_f1"], best.get("miou", 0.0)):
                best = {**metrics, "step": step, **data_size}
                save_checkpoint(out / "best.pt", model, config, metrics=best)
            save_checkpoint(out / "last.pt", model, config, optimiser=optimiser.state_dict(),
                            step=step, best=best,
                            rng=rng.bit_generator.state, settings=asdict(settings))
    return best
