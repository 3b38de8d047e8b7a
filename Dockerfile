# authd on Debian 12: a build stage with the project's own dependency script, and a slim
# runtime stage with only the shared libraries the binary needs.
FROM debian:12 AS build
WORKDIR /src
COPY scripts/install-deps scripts/install-deps
RUN apt-get update -q && apt-get install -y -q --no-install-recommends ca-certificates \
    && scripts/install-deps && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake --preset release && cmake --build --preset release

FROM debian:12-slim
RUN apt-get update -q && apt-get install -y -q --no-install-recommends \
      libsodium23 libjwt0 libsqlite3-0 libzxcvbn0 libidn2-0 libunistring2 libpq5 libargon2-1 \
      libspdlog1.10 libfmt9 libboost-json1.81.0 libboost-url1.81.0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/authd --create-home authd
COPY --from=build /src/build/release/src/authd /usr/local/bin/authd
USER authd
WORKDIR /var/lib/authd
ENV AUTHD_DATA_DIR=/var/lib/authd/data
EXPOSE 8000
ENTRYPOINT ["authd"]
CMD ["serve"]
