"""ONNX's own checker on a model lstpipe wrote, under /usr/bin/python3 (Debian's python3-onnx 1.12, an independent
reader of the file): onnx.checker.check_model with full_check (strict shape inference over the graph and its
subgraphs), then a JSON summary on stdout: IR version, opsets, each input's and output's dimensions (a symbolic name,
a value, or null), the operator types used, the metadata properties, and the output's inferred element type.

  onnx_check.py MODEL.onnx
"""
import json
import sys

import onnx


def dims(value):
    out = []
    for d in value.type.tensor_type.shape.dim:
        if d.HasField("dim_param"):
            out.append(d.dim_param)
        elif d.HasField("dim_value"):
            out.append(d.dim_value)
        else:
            out.append(None)
    return out


if __name__ == "__main__":
    model = onnx.load(sys.argv[1])
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    print(json.dumps({
        "ir_version": model.ir_version,
        "opset": {o.domain: o.version for o in model.opset_import},
        "inputs": {i.name: dims(i) for i in model.graph.input},
        "outputs": {o.name: dims(o) for o in inferred.graph.output},
        "ops": sorted({n.op_type for n in model.graph.node}),
        "metadata": {p.key: p.value for p in model.metadata_props},
        "initializers": len(model.graph.initializer),
    }))
