"""Writes the player's chimes into assets/sounds/ (44.1 kHz, mono, 16-bit WAV).

Soft sine tones with a gentle attack and a long bell-like decay, a quiet
octave overtone and no clicks at either end. Standard library only, so the
sounds can be remade anywhere:

    python tools/make_sounds.py [--out DIR]

``start.wav``     two rising notes: the stretch begins
``tick.wav``      one short, soft note: 3, 2, 1
``switch.wav``    two notes down and up: change sides
``finished.wav``  a rising three-note chord: well done
"""

from __future__ import annotations

import argparse
import math
import struct
import wave
from pathlib import Path

RATE = 44_100
PEAK = 0.5  # of full scale: chimes should never startle

# Each sound is a list of notes: (start seconds, frequency Hz, length seconds, loudness 0..1).
Note = tuple[float, float, float, float]
SOUNDS: dict[str, list[Note]] = {
    "start": [(0.0, 659.25, 0.45, 0.8), (0.14, 987.77, 0.6, 0.9)],  # E5, B5
    "tick": [(0.0, 880.0, 0.22, 0.6)],  # A5
    "switch": [(0.0, 783.99, 0.35, 0.8), (0.16, 587.33, 0.35, 0.7), (0.32, 783.99, 0.5, 0.8)],
    "finished": [
        (0.0, 523.25, 1.2, 0.7),  # C5
        (0.16, 659.25, 1.1, 0.7),  # E5
        (0.32, 783.99, 1.0, 0.7),  # G5
        (0.48, 1046.5, 1.0, 0.6),  # C6
    ],
}


def note_sample(t: float, freq: float, length: float) -> float:
    """One note at ``t`` seconds after it starts: 10 ms attack, exponential decay, fade out."""
    if t < 0 or t > length:
        return 0.0
    attack = min(t / 0.010, 1.0)
    decay = math.exp(-4.0 * t / length)
    fade = min((length - t) / 0.030, 1.0)  # reach silence smoothly: no click at the end
    tone = math.sin(2 * math.pi * freq * t) + 0.18 * math.sin(2 * math.pi * 2 * freq * t)
    return attack * decay * fade * tone / 1.18


def render(notes: list[Note]) -> list[float]:
    end = max(start + length for start, _, length, _ in notes)
    count = int(end * RATE) + 1
    out = [0.0] * count
    for start, freq, length, loud in notes:
        first = int(start * RATE)
        for i in range(int(length * RATE) + 1):
            k = first + i
            if k < count:
                out[k] += loud * note_sample(i / RATE, freq, length)
    top = max(abs(x) for x in out) or 1.0
    return [x * PEAK / top for x in out]


def write_wav(path: Path, samples: list[float]) -> None:
    frames = b"".join(struct.pack("<h", round(max(-1.0, min(1.0, x)) * 32767)) for x in samples)
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(frames)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / "assets" / "sounds"
    parser.add_argument("--out", type=Path, default=default, help=f"folder (default {default})")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, notes in SOUNDS.items():
        path = args.out / f"{name}.wav"
        write_wav(path, render(notes))
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
