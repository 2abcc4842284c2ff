"""Tables of bench/runtime/run.sh from its JSON rows (arguments)."""
import json
import os
import sys

rows = [json.loads(a) for a in sys.argv[1:]]
predict = [r for r in rows if "hr_mpx_s" in r and "busy_loop" not in r]
train = [r for r in rows if "step_s" in r]
threads = [r for r in rows if "busy_loop" in r]

print(f"## predict: MoCoLSK x4 forwards, {predict[0]['threads']} threads, {predict[0]['hr']} px windows\n")
print("| model | parameters | precision | batch | s per forward | HR Mpx/s | vs fp32 batch 1 |\n|---|---|---|---|---|---|---|")
for r in predict:
    base = next(b for b in predict if b["width"] == r["width"] and b["precision"] == "fp32" and b["batch"] == 1)
    print(f"| {r['width']} | {r['params']:,} | {r['precision']} | {r['batch']} | {r['forward_s']:.3f} | {r['hr_mpx_s']:.4f} "
          f"| {r['hr_mpx_s'] / base['hr_mpx_s']:.2f}x |")

print(f"\n## train: one MoCoLSK x4 step, default width, HR {os.environ.get('TRAIN_HR', '?')} px tiles, {train[0]['threads']} threads\n")
print("| batch | lstpipe s | PyTorch 1.13 s | ratio | lstpipe s per tile |\n|---|---|---|---|---|")
for batch in sorted({r["batch"] for r in train}):
    o = next(r["step_s"] for r in train if r["tool"] == "lstpipe" and r["batch"] == batch)
    p = next(r["step_s"] for r in train if r["tool"] == "pytorch" and r["batch"] == batch)
    print(f"| {batch} | {o:.3f} | {p:.3f} | {o / p:.3f} | {o / batch:.3f} |")

print("\n## threads: small MoCoLSK, fp32, batch 4\n")
print("| busy loop on a core | OMP_WAIT_POLICY | threads | s per forward |\n|---|---|---|---|")
for r in threads:
    print(f"| {'yes' if r['busy_loop'] else 'no'} | {r['wait']} | {r['threads']} | {r['forward_s']:.3f} |")
