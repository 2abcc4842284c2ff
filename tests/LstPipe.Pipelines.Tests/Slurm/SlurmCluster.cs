using System.Diagnostics;
using System.Globalization;

namespace LstPipe.Pipelines.Tests.Slurm;

/// <summary>
/// A real one-node Slurm 22.05 cluster for a test: munged with its own key and socket, slurmctld and slurmd in the
/// foreground on non-default ports, configuration, state and logs in a temporary folder (no systemd, no
/// accounting). Clients reach it through <see cref="Environment"/> (<c>SLURM_CONF</c>). Where the daemons cannot
/// start, the constructor throws with their logs: the test fails, it does not skip.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class SlurmCluster : IDisposable
{
    private readonly List<Process> _daemons = [];
    private readonly string _dir;

    public SlurmCluster()
    {
        _dir = Path.Combine("/tmp", "lstpipe-slurm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        foreach (var tool in new[] { "/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch" })
        {
            if (!File.Exists(tool))
            {
                throw new InvalidOperationException($"{tool} is missing: install Slurm with 'scripts/setup.sh --tests' (slurmctld slurmd slurm-client munge)");
            }
        }

        var munge = Path.Combine(_dir, "munge");
        Directory.CreateDirectory(munge);
        File.SetUnixFileMode(munge, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var key = Path.Combine(munge, "munge.key");
        File.WriteAllBytes(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(key, UnixFileMode.UserRead);
        var socket = Path.Combine(munge, "munge.socket");
        Start("/usr/sbin/munged", "-F", "--force", "--key-file=" + key, "--socket=" + socket, "--pid-file=" + Path.Combine(munge, "munged.pid"),
            "--log-file=" + Path.Combine(munge, "munged.log"), "--seed-file=" + Path.Combine(munge, "munged.seed"));
        WaitFor(() => File.Exists(socket), "munged", Path.Combine(munge, "munged.log"));

        var host = Run("hostname", "-s").Trim();
        var port = 16000 + (System.Environment.ProcessId % 4000);
        Conf = Path.Combine(_dir, "slurm.conf");
        Directory.CreateDirectory(Path.Combine(_dir, "state"));
        Directory.CreateDirectory(Path.Combine(_dir, "spool"));
        File.WriteAllText(Conf, string.Create(CultureInfo.InvariantCulture, $"""
            ClusterName=lstpipe
            SlurmctldHost={host}(127.0.0.1)
            SlurmctldPort={port}
            SlurmdPort={port + 1}
            SlurmUser=root
            AuthType=auth/munge
            AuthInfo=socket={socket}
            CredType=cred/munge
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            SelectType=select/cons_tres
            SchedulerParameters=batch_sched_delay=0
            DependencyParameters=kill_invalid_depend
            MinJobAge=600
            ReturnToService=2
            StateSaveLocation={_dir}/state
            SlurmdSpoolDir={_dir}/spool
            SlurmctldPidFile={_dir}/slurmctld.pid
            SlurmdPidFile={_dir}/slurmd.pid
            SlurmctldLogFile={_dir}/slurmctld.log
            SlurmdLogFile={_dir}/slurmd.log
            NodeName={host} NodeAddr=127.0.0.1 CPUs={System.Environment.ProcessorCount} State=UNKNOWN
            PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP

            """));
        Environment = new Dictionary<string, string> { ["SLURM_CONF"] = Conf };
        Start("/usr/sbin/slurmctld", "-D", "-i", "-f", Conf);
        Start("/usr/sbin/slurmd", "-D", "-f", Conf);
        WaitFor(() => Run("sinfo", "-h", "-o", "%T").Trim() == "idle", "slurmctld/slurmd", Path.Combine(_dir, "slurmctld.log"), Path.Combine(_dir, "slurmd.log"));
    }

    /// <summary>The slurm.conf clients must use.</summary>
    public string Conf { get; }

    /// <summary>Environment variables for client processes.</summary>
    public IDictionary<string, string> Environment { get; }

    public void Dispose()
    {
        foreach (var p in Enumerable.Reverse(_daemons))
        {
            try
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            p.Dispose();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _daemons.Add(p);
    }

    private string Run(string file, params string[] args)
    {
        var r = Processes.Run(file, args, environment: new Dictionary<string, string> { ["SLURM_CONF"] = Path.Combine(_dir, "slurm.conf") }, timeoutSeconds: 30);
        return r.StdOut;
    }

    private void WaitFor(Func<bool> ready, string what, params string[] logs)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (ready())
            {
                return;
            }

            if (_daemons.FirstOrDefault(d => d.HasExited) is { } dead)
            {
                break;
            }

            Thread.Sleep(200);
        }

        var text = string.Join("\n", logs.Where(File.Exists).Select(l => $"--- {l}\n" + string.Join("\n", File.ReadLines(l).TakeLast(15))));
        Dispose();
        throw new InvalidOperationException($"{what} did not start; the Slurm daemons cannot run here. Logs:\n{text}");
    }
}
