FROM mcr.microsoft.com/powershell
SHELL ["pwsh", "-NoLogo", "-Command"]
RUN Write-Output hi
