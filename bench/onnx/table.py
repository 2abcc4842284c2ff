"""The table of bench/onnx/run.sh from its JSON rows (arguments)."""
import json
import sys

rows = [json.loads(a) for a in sys.argv[1:]]
first = rows[0]
print(f"## predict: MoCoLSK x4, TorchSharp against ONNX Runtime, {first['threads']} threads, {first['hr']} px windows\n")
print("| model | parameters | batch | engine | s per forward | HR Mpx/s | vs TorchSharp fp32 | RMSE vs fp32 output, K |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    base = next(b for b in rows if b["width"] == r["width"] and b["batch"] == r["batch"] and b["engine"] == "torchsharp-fp32")
    print(f"| {r['width']} | {r['params']:,} | {r['batch']} | {r['engine']} | {r['forward_s']:.3f} | {r['hr_mpx_s']:.4f} "
          f"| {r['hr_mpx_s'] / base['hr_mpx_s']:.2f}x | {r['rmse_vs_fp32_k']:.6f} |")
