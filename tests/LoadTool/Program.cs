using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CrmIntegration.LoadTool;

// build/load-callbacks.sh drives this; see docs/performance.md.
//   free-port                                  prints a free loopback TCP port
//   new-signing-key                            prints a random 256-bit Base64 key for the service's JWT bearer
//   wait-ready --url URL [--timeout SECONDS] [--path P]   waits for URL/health/ready (or URL/P) to answer 200
//   mint-token --signing-key K --issuer I --audience A --sub S --role R [--role R] [--claim k=v] [--hours H]
//   demo-seed | demo-check --url URL --sim SIMULATOR_URL --signing-key K [--issuer I] [--audience A]   (build/demo.sh)
//   run --url URL --signing-key KEY [--count N] [--concurrency C] [--mode open|sys] [--events-per-quote E]
//       [--visibility-samples K] [--max-seconds S] [--rate R] [--warmup-seconds W] [--issuer I] [--audience A] [--token T] [--aes-key K] [--corp-id C]
try
{
    return args.FirstOrDefault() switch
    {
        "free-port" => FreePort(),
        "new-signing-key" => Print(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
        "wait-ready" => await WaitReadyAsync(args[1..]),
        "mint-token" => Demo.MintToken(args[1..]),
        "demo-seed" or "demo-check" => await Demo.RunAsync(args[0], args[1..]),
        "run" => await new CallbackLoadTest(LoadOptions.Parse(args[1..])).RunAsync(),
        _ => Usage(),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

static int Print(string text)
{
    Console.WriteLine(text);
    return 0;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return Print(((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

static async Task<int> WaitReadyAsync(string[] args)
{
    var url = new Uri(new Uri(args.SkipWhile(a => a != "--url").Skip(1).FirstOrDefault()
                              ?? throw new ArgumentException("--url is required.")),
        args.SkipWhile(a => a != "--path").Skip(1).FirstOrDefault() ?? "/health/ready");
    LoadOptions.RequireLoopback(url);
    var timeout = TimeSpan.FromSeconds(int.Parse(args.SkipWhile(a => a != "--timeout").Skip(1).FirstOrDefault() ?? "60",
        System.Globalization.CultureInfo.InvariantCulture));
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
    var started = Stopwatch.GetTimestamp();
    while (Stopwatch.GetElapsedTime(started) < timeout)
    {
        try
        {
            using var response = await http.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return 0;
            }
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
        }
        catch (TaskCanceledException)
        {
            // Busy starting.
        }

        await Task.Delay(200);
    }

    Console.Error.WriteLine($"{url} was not ready within {timeout.TotalSeconds:F0} s.");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: CrmIntegration.LoadTool free-port | new-signing-key | wait-ready --url URL [--path P] | mint-token ... | demo-seed|demo-check ... | run --url URL --signing-key KEY [...]");
    return 2;
}
