using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace ItChatBot.Testing;

/// <summary>
/// Headless Debian Chromium through chromedriver (installed by .ci/setup.d/10-chromium.sh). The flags keep
/// Chromium from reaching for the network, which this machine does not have.
/// </summary>
public static class Browser
{
    public static ChromeDriver Start()
    {
        var chrome = Environment.GetEnvironmentVariable("CHROME_BIN") ?? "/usr/bin/chromium";
        var driverPath = Environment.GetEnvironmentVariable("CHROMEDRIVER_BIN") ?? "/usr/bin/chromedriver";
        if (!File.Exists(chrome) || !File.Exists(driverPath))
        {
            throw new InvalidOperationException(
                $"Chromium ({chrome}) or chromedriver ({driverPath}) is missing: run `bash .ci/setup.d/10-chromium.sh` (as .ci/run does).");
        }

        var options = new ChromeOptions { BinaryLocation = chrome };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,900",
            $"--user-data-dir={Path.Combine(Path.GetTempPath(), "itchatbot-chrome", Guid.NewGuid().ToString("N"))}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }
}
