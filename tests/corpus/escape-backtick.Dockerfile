# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN powershell -Command `
    $ErrorActionPreference = 'Stop'; `
    Write-Host 'hello'
COPY testfile.txt c:\
WORKDIR c:\app
