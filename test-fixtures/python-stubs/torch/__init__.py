"""A recording stand-in for torch (see ../README.md): what train_hf.py touches before training."""
import types

from _record import record


def manual_seed(seed):
    record("torch.manual_seed", seed=seed)


class _Dataset:
    pass


utils = types.SimpleNamespace(data=types.SimpleNamespace(Dataset=_Dataset))
