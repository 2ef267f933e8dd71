using OpenQA.Selenium;

namespace ItChatBot.Testing;

/// <summary>Polls a condition on the page until it holds or the time is up (Selenium.Support's WebDriverWait, without the package).</summary>
public sealed class Waiter(IWebDriver driver, TimeSpan timeout)
{
    public T Until<T>(Func<IWebDriver, T> condition)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = condition(driver);
                if (value is not null && (value is not bool flag || flag))
                {
                    return value;
                }
            }
            catch (WebDriverException ex)
            {
                last = ex;
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"The page did not reach the expected state within {timeout.TotalSeconds} s.", last);
    }
}
